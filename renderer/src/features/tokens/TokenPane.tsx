import { useCallback, useState } from 'react';
import type { AccountView, TokenView } from '@contract';
import { useSelectedAccount, useVaultStore } from '@renderer/store/vault-store';
import { ReplaceCredentialDialog } from '@renderer/features/accounts/ReplaceCredentialDialog';
import { AccountHeader } from './AccountHeader';
import { FinishRotationDialog } from './FinishRotationDialog';
import { ForgetValueDialog } from './ForgetValueDialog';
import { GenerateDialog } from './GenerateDialog';
import { ImportValueDialog } from './ImportValueDialog';
import { OnceValuePanel, useOnceValue } from './OnceValuePanel';
import { OtherUsersDialog } from './OtherUsersDialog';
import { RevokeDialog } from './RevokeDialog';
import { RotateDialog } from './RotateDialog';
import type { TokenAction, TokenActionKind } from './token-actions';
import { TokenTable } from './TokenTable';

/**
 * The selected account's tokens. It also hosts generating: the new value lives in this
 * component's state only while the "copy it now" panel shows it, and is dropped on "Done".
 * Row actions open their dialogs here, not in the row: a revoked row leaves the table while its
 * dialog still has a toast to show.
 */
export function TokenPane() {
  const account = useSelectedAccount();
  const state = useVaultStore((s) => (account ? s.tokens[account.id] : undefined));
  const loadTokens = useVaultStore((s) => s.loadTokens);
  // The account is captured when a dialog opens: the selection may move while it is open.
  const [generatingFor, setGeneratingFor] = useState<AccountView | null>(null);
  const [replacingFor, setReplacingFor] = useState<AccountView | null>(null);
  const [othersOf, setOthersOf] = useState<AccountView | null>(null);
  const [action, setAction] = useState<TokenAction | null>(null);
  const [once, setOnce] = useOnceValue();
  // Stable, so the table's memoized rows do not re-render for it.
  const onAction = useCallback(
    (kind: TokenActionKind, token: TokenView) => {
      if (account) setAction({ kind, token, account });
    },
    [account],
  );

  return (
    <>
      {account ? (
        <div className="pane fill">
          <AccountHeader
            account={account}
            loading={state?.loading ?? true}
            onRefresh={() => {
              if (!state?.loading) void loadTokens(account.id);
            }}
            onGenerate={() => setGeneratingFor(account)}
            onReplaceCredential={() => setReplacingFor(account)}
            onOtherUsers={account.isAdmin ? () => setOthersOf(account) : undefined}
          />
          {/* Keyed: the filter and the open detail belong to one account. */}
          <TokenTable
            key={account.id}
            account={account}
            state={state}
            onRetry={() => void loadTokens(account.id)}
            onAction={onAction}
          />
        </div>
      ) : (
        <NoAccount />
      )}
      {generatingFor && (
        <GenerateDialog
          account={generatingFor}
          onCancel={() => setGeneratingFor(null)}
          onGenerated={(generated) => {
            setGeneratingFor(null);
            setOnce(generated);
          }}
        />
      )}
      {once && <OnceValuePanel generated={once} onDone={() => setOnce(null)} />}
      {action?.kind === 'rotate' ? (
        <RotateDialog
          token={action.token}
          account={action.account}
          onCancel={() => setAction(null)}
          onRotated={(rotated) => {
            setAction(null);
            setOnce(rotated);
          }}
        />
      ) : (
        action && <TokenActionDialog action={action} onClose={() => setAction(null)} />
      )}
      {othersOf && <OtherUsersDialog account={othersOf} onClose={() => setOthersOf(null)} />}
      {replacingFor && (
        <ReplaceCredentialDialog account={replacingFor} onClose={() => setReplacingFor(null)} />
      )}
    </>
  );
}

/** The row actions whose dialog only confirms or asks for a value ('rotate' is the pane's own). */
function TokenActionDialog({ action, onClose }: { action: TokenAction; onClose: () => void }) {
  const { token, account } = action;
  switch (action.kind) {
    case 'rotate':
      return null;
    case 'finish-rotation':
      return <FinishRotationDialog token={token} account={account} onClose={onClose} />;
    case 'revoke':
      return <RevokeDialog token={token} account={account} onClose={onClose} />;
    case 'forget':
      return <ForgetValueDialog token={token} account={account} onClose={onClose} />;
    case 'import':
      return <ImportValueDialog token={token} account={account} onClose={onClose} />;
  }
}

function NoAccount() {
  const loaded = useVaultStore((s) => s.accountsLoaded);
  const empty = useVaultStore((s) => s.accounts.length === 0);
  if (!loaded || !empty) return null;
  return (
    <div className="empty-state">
      <h1>Welcome to Token Vault</h1>
      <p>
        Add a SonarQube Cloud organization or a SonarQube Server with <strong>Add account</strong> in the
        sidebar. The vault then lists your tokens, counts down to their expiry, and keeps the values of the
        tokens it generates in your OS keychain.
      </p>
    </div>
  );
}
