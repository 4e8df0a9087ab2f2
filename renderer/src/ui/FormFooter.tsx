interface FormFooterProps {
  /** The core's message, as it words it. */
  error: string | null | undefined;
  busy: boolean;
  onCancel: () => void;
  submitLabel: string;
  busyLabel: string;
  /** The submit destroys something (revoke, forget): it looks the part. */
  danger?: boolean;
}

/** A dialog form's error line and its Cancel / submit pair. */
export function FormFooter({ error, busy, onCancel, submitLabel, busyLabel, danger }: FormFooterProps) {
  return (
    <>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onCancel} aria-disabled={busy}>
          Cancel
        </button>
        {/* aria-disabled rather than disabled: the button keeps focus while the request runs. */}
        <button type="submit" className={danger ? 'button danger' : 'button primary'} aria-disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
      </div>
    </>
  );
}
