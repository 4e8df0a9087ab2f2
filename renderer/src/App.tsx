import { useEffect, useState } from 'react';
import { AdminOverviewView } from '@renderer/features/admin-overview/AdminOverviewView';
import { AllTokensView } from '@renderer/features/all-tokens/AllTokensView';
import { AccountList } from '@renderer/features/accounts/AccountList';
import { AddAccountDialog } from '@renderer/features/accounts/AddAccountDialog';
import { SettingsDialog } from '@renderer/features/settings/SettingsDialog';
import { TokenPane } from '@renderer/features/tokens/TokenPane';
import { startClock } from '@renderer/store/clock';
import { useVaultStore } from '@renderer/store/vault-store';
import { GearIcon } from '@renderer/ui/icons';
import { StoreProblemBanner } from '@renderer/ui/StoreProblemBanner';
import { SetAsideBanner } from '@renderer/features/accounts/SetAsideBanner';
import { LeftoversBanner } from '@renderer/ui/LeftoversBanner';
import { Toasts } from '@renderer/ui/Toasts';
import { on } from './vault-client';

/** The shell: sidebar of accounts, the selected account's tokens (or all tokens together), dialogs and toasts. */
export function App() {
  const blocked = useVaultStore((s) => s.modalDepth > 0);
  const view = useVaultStore((s) => s.view);
  const [adding, setAdding] = useState(false);
  const [editingSettings, setEditingSettings] = useState(false);

  useEffect(() => {
    const store = useVaultStore.getState;
    void store().loadStatus();
    void store().loadAccounts();
    void store().loadSettings();
    const stopClock = startClock();
    const unsubscribe = [
      on('accounts.changed', () => void store().loadAccounts()),
      on('settings.changed', () => void store().loadSettings()),
      on('tokens.changed', (list) => store().receiveTokens(list)),
      on('clipboard.cleared', () => store().toast('Clipboard cleared')),
      on('notification.clicked', (ref) => store().focusToken(ref)),
      on('leftovers.changed', () => void store().loadLeftovers()),
      on('tokens.historyChanged', (ref) => store().historyChanged(ref)),
      on('admin.overviewChanged', (overview) => store().receiveOverview(overview)),
      on('admin.progress', (progress) => store().receiveOverviewProgress(progress)),
    ];
    // Back in the window: the lists may have moved meanwhile (the core skips it if it just refreshed).
    const onFocus = () => void store().refreshOnFocus();
    window.addEventListener('focus', onFocus);
    return () => {
      stopClock();
      for (const off of unsubscribe) off();
      window.removeEventListener('focus', onFocus);
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
            <button type="button" className="button grow" onClick={() => setAdding(true)}>
              Add account
            </button>
            <button type="button" className="button" onClick={() => setEditingSettings(true)}>
              <GearIcon />
              Settings
            </button>
          </div>
        </aside>
        <main className="main">
          <StoreProblemBanner />
          <SetAsideBanner />
          <LeftoversBanner />
          {view === 'all-tokens' ? (
            <AllTokensView />
          ) : view === 'admin-overview' ? (
            <AdminOverviewView />
          ) : (
            <TokenPane />
          )}
        </main>
      </div>
      {adding && <AddAccountDialog onClose={() => setAdding(false)} />}
      {editingSettings && <SettingsDialog onClose={() => setEditingSettings(false)} />}
      <Toasts />
    </>
  );
}
