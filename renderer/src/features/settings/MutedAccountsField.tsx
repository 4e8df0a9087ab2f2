import { useId } from 'react';
import { useVaultStore } from '@renderer/store/vault-store';
import { Checkbox } from '@renderer/ui/Checkbox';
import { setMuted } from './settings-draft';

interface MutedAccountsFieldProps {
  muted: readonly string[];
  onChange: (muted: string[]) => void;
}

/** One "Notify about …" checkbox per account; unchecked means muted. */
export function MutedAccountsField({ muted, onChange }: MutedAccountsFieldProps) {
  const id = useId();
  const accounts = useVaultStore((s) => s.accounts);
  const mutedIds = new Set(muted);

  return (
    <div className="field" role="group" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`} className="field-label">
        Accounts
      </span>
      {accounts.length === 0 ? (
        <p className="field-hint">No accounts yet.</p>
      ) : (
        accounts.map((account) => (
          <Checkbox
            key={account.id}
            checked={!mutedIds.has(account.id)}
            onChange={(notify) => onChange(setMuted(muted, account.id, !notify))}
          >
            Notify about {account.label}
          </Checkbox>
        ))
      )}
    </div>
  );
}
