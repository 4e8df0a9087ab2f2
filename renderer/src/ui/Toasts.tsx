import { useVaultStore } from '@renderer/store/vault-store';

/** Brief messages, bottom right, above any dialog; the store's ticker removes them. */
export function Toasts() {
  const toasts = useVaultStore((s) => s.toasts);
  const dismiss = useVaultStore((s) => s.dismissToast);
  return (
    // The live region exists before any toast, so screen readers announce each one added.
    <div className="toast-region" aria-live="polite">
      {toasts.map((t) => (
        <div
          key={t.id}
          role={t.tone === 'error' ? 'alert' : 'status'}
          className={`toast toast-${t.tone}`}
          onClick={() => dismiss(t.id)}
        >
          {t.text}
        </div>
      ))}
    </div>
  );
}
