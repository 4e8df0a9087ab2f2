/**
 * A modal dialog: role="dialog" aria-modal, named by its heading, rendered over the app whose
 * shell turns inert (and hidden from assistive tech) while it is open. Not the native <dialog>:
 * toasts must stay visible and announced above a modal (the top layer would cover them).
 */
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useVaultStore } from '@renderer/store/vault-store';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Where focus goes back to when the last dialog closes. */
let focusOrigin: HTMLElement | null = null;

interface ModalProps {
  title: string;
  /** Escape closes only where losing the dialog loses nothing; omit it to ignore Escape. */
  onEscape?: () => void;
  className?: string;
  children: ReactNode;
}

export function Modal({ title, onEscape, className, children }: ModalProps) {
  const headingId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const active = document.activeElement;
    // A dialog that follows another (Generate, then "copy it now") returns focus to the first
    // one's opener: the control that had focus in between is gone.
    const previous = active instanceof HTMLElement && active !== document.body ? active : focusOrigin;
    focusOrigin = previous;
    const { modalOpened, modalClosed } = useVaultStore.getState();
    modalOpened();
    const dialog = dialogRef.current;
    const first =
      dialog?.querySelector<HTMLElement>('[data-autofocus]') ?? dialog?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      modalClosed();
      // After the shell has left its inert state, which happens on the next render.
      setTimeout(() => {
        if (previous?.isConnected && !previous.closest('[inert]')) previous.focus();
      }, 0);
    };
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape' && onEscape) {
      event.stopPropagation();
      onEscape();
      return;
    }
    if (event.key !== 'Tab' || !dialogRef.current) return;
    // Keep Tab inside the dialog.
    const focusables = [...dialogRef.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusables[0];
    const last = focusables[focusables.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return createPortal(
    <div className="modal-backdrop">
      <div
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={headingId}
        className={className ? `modal ${className}` : 'modal'}
        onKeyDown={onKeyDown}
      >
        <h2 id={headingId} className="modal-title">
          {title}
        </h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}
