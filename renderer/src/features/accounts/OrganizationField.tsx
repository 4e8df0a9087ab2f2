import { useState } from 'react';
import { errorMessage } from '@renderer/error-message';
import { call } from '@renderer/vault-client';
import '@renderer/features/forms.css';

type Organization = { key: string; name: string };

interface OrganizationFieldProps {
  id: string;
  kind: 'cloud-eu' | 'cloud-us';
  credential: string;
  /** Organizations already known (a browser sign-in found them): picked from, no token needed. */
  known?: Organization[] | undefined;
  value: string;
  onChange: (key: string) => void;
  disabled?: boolean;
}

const OTHER = '\u0000other';
const ORG_HINT = "As in your organization's address on SonarQube Cloud.";

/**
 * Cloud: the organization key, typed or picked from those the token's user belongs to
 * ('accounts.organizations'), asked for with the kind and token of the moment. The parent remounts
 * this field when the kind changes, which drops the list.
 */
export function OrganizationField({
  id,
  kind,
  credential,
  known,
  value,
  onChange,
  disabled,
}: OrganizationFieldProps) {
  const [found, setFound] = useState<Organization[] | null>(known ?? null);
  const [typing, setTyping] = useState(!known?.length);
  const [finding, setFinding] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function find() {
    if (finding) return;
    setFinding(true);
    setError(null);
    try {
      const organizations = await call('accounts.organizations', { kind, credential });
      setFound(organizations);
      if (organizations.length > 0) {
        setTyping(false);
        if (!organizations.some((o) => o.key === value)) onChange(organizations[0]!.key);
      } else {
        setError('This token’s user is a member of no organization. Type the organization key.');
      }
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setFinding(false);
    }
  }

  const picking = !typing && found !== null && found.length > 0;

  return (
    <div className="field">
      <label htmlFor={id}>Organization key</label>
      <div className="field-inline">
        {picking ? (
          <select
            id={id}
            value={value}
            onChange={(e) => {
              if (e.target.value === OTHER) {
                setTyping(true);
                onChange('');
              } else onChange(e.target.value);
            }}
            disabled={disabled}
            aria-describedby={`${id}-hint`}
          >
            {found.map((o) => (
              <option key={o.key} value={o.key}>
                {`${o.name} (${o.key})`}
              </option>
            ))}
            <option value={OTHER}>Another organization (type its key)</option>
          </select>
        ) : (
          <input
            id={id}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            required
            autoComplete="off"
            spellCheck={false}
            disabled={disabled}
            aria-describedby={`${id}-hint`}
          />
        )}
        {!picking && !known && (
          <button
            type="button"
            className="button"
            onClick={() => void find()}
            aria-disabled={finding || disabled || !credential.trim()}
            disabled={!credential.trim()}
          >
            {finding ? 'Finding…' : 'Find my organizations'}
          </button>
        )}
      </div>
      <p id={`${id}-hint`} className="field-hint">
        {picking
          ? 'The organizations your token’s user is a member of.'
          : credential.trim()
            ? ORG_HINT
            : `${ORG_HINT} Or enter your token first to find your organizations.`}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
