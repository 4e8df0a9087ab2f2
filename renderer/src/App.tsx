import { useEffect, useState } from 'react';
import { AccountList } from './features/accounts/AccountList';
import { AddAccountDialog } from './features/accounts/AddAccountDialog';
import { TokenPane } from './features/tokens/TokenPane';
import { useVaultStore } from './store/vault-store';
import { StoreProblemBanner } from './ui/StoreProblemBanner';
import { Toasts } from './ui/Toasts';
import { on } from './vault-client';

/** The shell: sidebar of accounts, the selected account's tokens, dialogs and toasts. */
export function App() {
  const blocked = useVaultStore((s) => s.modalDepth > 0);
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    const store = useVaultStore.getState;
    void store().loadStatus();
    void store().loadAccounts();
    const stopTicker = store().startTicker();
    const unsubscribe = [
      on('accounts.changed', () => void store().loadAccounts()),
      on('tokens.changed', ({ accountId }) => {
        if (store().tokens[accountId]) void store().loadTokens(accountId);
      }),
      on('clipboard.cleared', () => store().toast('Clipboard cleared')),
      on('notification.clicked', (ref) => store().focusToken(ref)),
    ];
    return () => {
      stopTicker();
      for (const off of unsubscribe) off();
    };
  }, []);

  return (
    <>
      {/* Behind an open dialog the shell is inert and hidden from assistive tech. */}
      <div className="shell" inert={blocked} aria-hidden={blocked || undefined}>
        <aside className="sidebar">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <span className="brand-name">Token Vault</span>
          </div>
          <AccountList />
          <div className="sidebar-footer">
            <button type="button" className="button block" onClick={() => setAdding(true)}>
              Add account
            </button>
          </div>
        </aside>
        <main className="main">
          <StoreProblemBanner />
          <TokenPane />
        </main>
      </div>
      {adding && <AddAccountDialog onClose={() => setAdding(false)} />}
      <Toasts />
    </>
  );
}
