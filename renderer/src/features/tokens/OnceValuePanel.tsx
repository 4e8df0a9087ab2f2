import { useRef } from 'react';
import { useVaultStore, type Generated, type Rotated } from '../../store/vault-store';
import { Modal } from '../../ui/Modal';
import { handOverText } from './lifecycle-text';

/** A new token's value, shown once: generated (maybe for another user) or a rotation's successor. */
export type OnceValue = Pick<Generated, 'token' | 'value' | 'stored' | 'storeError'> &
  Partial<Pick<Generated, 'forUser'> & Pick<Rotated, 'predecessor'>>;

interface OnceValuePanelProps {
  generated: OnceValue;
  /** The parent drops the value from its state: after this, it is nowhere in the page. */
  onDone: () => void;
}

/**
 * "Copy it now": the one time a new token's value is shown. Escape does nothing here, so the
 * value cannot vanish by accident; only "Done" closes the panel.
 */
export function OnceValuePanel({ generated, onDone }: OnceValuePanelProps) {
  const copyToken = useVaultStore((s) => s.copyToken);
  const toast = useVaultStore((s) => s.toast);
  const fieldRef = useRef<HTMLInputElement>(null);
  const { token, value, stored, storeError, forUser, predecessor } = generated;

  async function copy() {
    if (stored) {
      await copyToken({ accountId: token.accountId, name: token.name });
      return;
    }
    // Not in the keychain, so the core cannot copy it: the browser clipboard is the only way.
    // The field is selected too, for Ctrl+C should that be refused.
    fieldRef.current?.select();
    try {
      await navigator.clipboard.writeText(value);
      toast('Copied. This copy is not cleared from the clipboard automatically');
    } catch {
      toast('Copying was refused: the value is selected, press Ctrl+C (⌘C on a Mac).', 'error');
    }
  }

  return (
    <Modal title="Copy your new token now" className="once-panel">
      {forUser ? (
        // Not kept on purpose: no keychain failure to report, only where the value goes.
        <p className="hand-over">This is the only time the value is shown. {handOverText(forUser)}</p>
      ) : stored ? (
        <p>This is the only time the value is shown. The vault keeps it in your OS keychain.</p>
      ) : (
        <div role="alert" className="warning">
          <p>
            <strong>Not saved.</strong> The OS keychain refused this token
            {storeError ? `: ${storeError}` : '.'}
          </p>
          <p>The vault does not keep it. Copy it now: once this panel closes, the value is gone for good.</p>
        </div>
      )}
      <p className="once-token">
        <span className="token-name">{token.name}</span>
        {predecessor && <span className="muted"> Replaces {predecessor}.</span>}
      </p>
      <input
        ref={fieldRef}
        className="once-value mono"
        readOnly
        value={value}
        aria-label="New token value"
        spellCheck={false}
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void copy()} data-autofocus>
          Copy
        </button>
        <button type="button" className="button primary" onClick={onDone}>
          Done
        </button>
      </div>
    </Modal>
  );
}
