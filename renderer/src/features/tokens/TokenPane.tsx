import { useState } from 'react';
import type { AccountView } from '../../../../electron/contract';
import { useSelectedAccount, useVaultStore, type Generated } from '../../store/vault-store';
import { useSecretState } from '../../ui/use-secret-state';
import { AccountHeader } from './AccountHeader';
import { GenerateDialog } from './GenerateDialog';
import { OnceValuePanel } from './OnceValuePanel';
import { TokenTable } from './TokenTable';

/**
 * The selected account's tokens. It also hosts generating: the new value lives in this
 * component's state only while the "copy it now" panel shows it, and is dropped on "Done".
 */
export function TokenPane() {
  const account = useSelectedAccount();
  const state = useVaultStore((s) => (account ? s.tokens[account.id] : undefined));
  const loadTokens = useVaultStore((s) => s.loadTokens);
  // The account is captured when the dialog opens: the selection may move while it is open.
  const [generatingFor, setGeneratingFor] = useState<AccountView | null>(null);
  const [once, setOnce] = useSecretState<Generated>();

  return (
    <>
      {account ? (
        <div className="pane">
          <AccountHeader
            account={account}
            loading={state?.loading ?? true}
            onRefresh={() => {
              if (!state?.loading) void loadTokens(account.id);
            }}
            onGenerate={() => setGeneratingFor(account)}
          />
          <TokenTable state={state} onRetry={() => void loadTokens(account.id)} />
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
    </>
  );
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
