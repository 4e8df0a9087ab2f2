/**
 * What the tray shows, decided in the core so it is tested in Node: the icon's state (the worst
 * of the watched tokens), a tooltip with the soonest expiry, and the soonest-expiring tokens
 * grouped by account. electron/main/tray.ts only turns this into Tray and Menu calls.
 */
import type { TokenRef } from '@contract';
import { DAY_MS, expiryState, type ExpiryState } from '@shared/expiry';
import { describeTimeLeft } from '@core/expiry/notices';
import type { Metadata } from '@core/storage/schema';

export type TrayState = 'ok' | 'expiring' | 'expired';

export interface TrayToken {
  ref: TokenRef;
  label: string;
  state: ExpiryState;
  /** Only a value the vault holds can be copied. */
  canCopy: boolean;
}

export interface TrayModel {
  state: TrayState;
  tooltip: string;
  groups: { accountLabel: string; tokens: TrayToken[] }[];
  paused: boolean;
}

/** An expired token keeps the icon red this long, then it is old news (it stays in the table). */
export const RECENTLY_EXPIRED_MS = 7 * DAY_MS;
export const TRAY_TOKENS = 10;

export function trayModel(metadata: Metadata, now: number): TrayModel {
  const { settings } = metadata;
  const muted = new Set(settings.mutedAccounts);
  const held = new Set(metadata.tokens.map((t) => JSON.stringify([t.accountId, t.name])));
  const all = metadata.accounts.flatMap((account) =>
    (metadata.snapshots[account.id]?.tokens ?? []).map((token) => ({
      account,
      token,
      state: expiryState(token.expiresAt, now, settings.thresholdsMs),
    })),
  );

  const watched = all.filter((t) => !muted.has(t.account.id));
  const recentlyExpired = watched.filter(
    (t) => t.state === 'expired' && now - (t.token.expiresAt ?? now) < RECENTLY_EXPIRED_MS,
  );
  const expiring = watched.filter((t) => t.state === 'expiring' || t.state === 'critical');
  const state: TrayState = recentlyExpired.length ? 'expired' : expiring.length ? 'expiring' : 'ok';

  const upcoming = all
    .filter((t) => t.token.expiresAt !== null && t.state !== 'expired')
    .sort((a, b) => a.token.expiresAt! - b.token.expiresAt!)
    .slice(0, TRAY_TOKENS);
  const groups = new Map<string, TrayModel['groups'][number]>();
  for (const { account, token, state: tokenState } of upcoming) {
    const group = groups.get(account.id) ?? { accountLabel: account.label, tokens: [] };
    groups.set(account.id, group);
    group.tokens.push({
      ref: { accountId: account.id, name: token.name },
      label: `${token.name} (${describeTimeLeft(token.expiresAt! - now)})`,
      state: tokenState,
      canCopy: held.has(JSON.stringify([account.id, token.name])),
    });
  }

  const soonest = upcoming.find((t) => !muted.has(t.account.id));
  const lines = ['Token Vault for SonarQube'];
  if (recentlyExpired.length) lines.push(`${recentlyExpired.length} expired recently`);
  lines.push(
    soonest
      ? `Soonest: ${soonest.token.name} (${soonest.account.label}) in ${describeTimeLeft(soonest.token.expiresAt! - now)}`
      : 'No token expires soon',
  );
  const paused = settings.notificationsPausedUntil !== null && settings.notificationsPausedUntil > now;
  return { state, tooltip: lines.join('\n'), groups: [...groups.values()], paused };
}
