/** The settings (in vault.json): read, and changed by a patch the contract has validated. */
import type { VaultContext } from './context';
import type { HandlerSlice } from './ipc/dispatch';

export function settingsHandlers(ctx: VaultContext): HandlerSlice<'settings.get' | 'settings.update'> {
  return {
    'settings.get': async () => (await ctx.store.load()).settings,
    'settings.update': async (patch) => {
      const { settings } = await ctx.store.update((m) => {
        Object.assign(m.settings, patch);
        // Only the vault's own accounts can be muted: any other string sent would be written to
        // disk as it came, a token value passing for an id (40 hex characters) included.
        const ids = new Set([...m.accounts, ...m.setAside.map((s) => s.account)].map((a) => a.id));
        m.settings.mutedAccounts = m.settings.mutedAccounts.filter((id) => ids.has(id));
      });
      ctx.events.emit('settings.changed', {});
      return settings;
    },
  };
}
