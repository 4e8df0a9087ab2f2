import { useRef, useState } from 'react';
import '@renderer/features/forms.css';

/** The largest CA file read (the contract's limit for the PEM text). */
export const CA_FILE_MAX_BYTES = 65_536;

export const CA_HINT = "Only if your server's certificate comes from your organization's own authority.";
export const CA_TOO_BIG =
  'That file is larger than 64 KB: choose the CA certificate itself (a PEM file, text starting with -----BEGIN CERTIFICATE-----).';
const CA_UNREADABLE = 'That file could not be read. Choose it again.';

export interface ChosenCa {
  fileName: string;
  pem: string;
}

interface CaCertificateFieldProps {
  id: string;
  value: ChosenCa | null;
  onChange: (value: ChosenCa | null) => void;
  disabled?: boolean;
}

/** Server only: an optional CA certificate (PEM), read here as text; the core checks it. */
export function CaCertificateField({ id, value, onChange, disabled }: CaCertificateFieldProps) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);

  async function choose(file: File | undefined) {
    setError(null);
    if (!file) return;
    if (file.size > CA_FILE_MAX_BYTES) {
      if (input.current) input.current.value = '';
      onChange(null);
      return setError(CA_TOO_BIG);
    }
    try {
      onChange({ fileName: file.name, pem: await file.text() });
    } catch {
      if (input.current) input.current.value = '';
      onChange(null);
      setError(CA_UNREADABLE);
    }
  }

  function clear() {
    if (input.current) input.current.value = '';
    setError(null);
    onChange(null);
  }

  return (
    <div className="field">
      <label htmlFor={id}>CA certificate (PEM)</label>
      {value ? (
        <div className="file-chosen">
          <span className="file-chosen-name mono" title={value.fileName}>
            {value.fileName}
          </span>
          <button type="button" className="button small" onClick={clear} disabled={disabled}>
            Clear
          </button>
        </div>
      ) : null}
      {/* Kept mounted (hidden once a file is chosen) so the label keeps naming it. */}
      <input
        ref={input}
        id={id}
        type="file"
        className="file-input"
        accept=".pem,.crt,.cer,application/x-pem-file,application/x-x509-ca-cert,text/plain"
        hidden={value !== null}
        disabled={disabled}
        onChange={(e) => void choose(e.target.files?.[0])}
        aria-describedby={`${id}-hint`}
      />
      <p id={`${id}-hint`} className="field-hint">
        {CA_HINT}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
