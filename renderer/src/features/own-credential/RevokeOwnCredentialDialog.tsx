import { useId, useState } from 'react';
import type { AccountView, TokenView } from '@contract';
import { useVaultStore } from '@renderer/store/vault-store';
import { Checkbox } from '@renderer/ui/Checkbox';
import { FormFooter } from '@renderer/ui/FormFooter';
import { Modal } from '@renderer/ui/Modal';
import { useCoreSubmit } from '@renderer/ui/use-core-submit';
import { REVOKE_OWN_CONFIRMATION, revokeOwnCredentialText } from './own-credential-text';
import './own-credential.css';

interface RevokeOwnCredentialDialogProps {
  token: TokenView;
  account: AccountView;
  onClose: () => void;
}

/**
 * Revoking the token the vault signs in with: says what happens, and asks for an explicit tick
 * before the core is asked (which refuses it without `ownCredentialConfirmed` anyway).
 */
export function RevokeOwnCredentialDialog({ token, account, onClose }: RevokeOwnCredentialDialogProps) {
  const revokeToken = useVaultStore((s) => s.revokeToken);
  const toast = useVaultStore((s) => s.toast);
  const [confirmed, setConfirmed] = useState(false);
  const [asked, setAsked] = useState(false);
  const hintId = useId();
  const { busy, error, submit } = useCoreSubmit(async () => {
    await revokeToken({ accountId: account.id, name: token.name, ownCredentialConfirmed: true });
    onClose();
    toast(`Revoked ${token.name}`);
  });
  const cancel = () => {
    if (!busy) onClose();
  };

  return (
    <Modal title="Revoke the vault's own credential" onEscape={cancel}>
      <form
        className="form"
        aria-busy={busy}
        onSubmit={(event) => {
          if (confirmed) return void submit(event);
          event.preventDefault();
          setAsked(true);
        }}
      >
        <div className="warning own-credential-warning">
          <p>{revokeOwnCredentialText(token.name, account.label)}</p>
          <Checkbox checked={confirmed} onChange={setConfirmed} disabled={busy}>
            {REVOKE_OWN_CONFIRMATION}
          </Checkbox>
        </div>
        {asked && !confirmed && (
          <p id={hintId} role="alert" className="form-error">
            Tick the box to confirm.
          </p>
        )}
        <FormFooter
          error={error}
          busy={busy}
          onCancel={cancel}
          submitLabel="Revoke"
          busyLabel="Revoking…"
          danger
        />
      </form>
    </Modal>
  );
}
