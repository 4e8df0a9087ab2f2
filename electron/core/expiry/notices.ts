/**
 * Which expiry notifications are due, as a pure function of the tokens, what was already sent,
 * the settings and the time. The watcher (watcher.ts) only runs it, sends and sleeps.
 *
 * Rules: one notice per token per threshold crossed, never repeated for the same expiry instant
 * (a renewed Cloud token starts afresh); when several thresholds were crossed at once (the app was
 * closed, the machine slept) only the worst is told; several notices due together become one
 * summary; a token first seen already expired is recorded silently (it is in the table, not news);
 * muted accounts are recorded silently; quiet hours and a pause defer notices, they do not drop them.
 */
import type { Settings, TokenRef } from '@contract';
import type { NoticeRecord } from '@core/storage/schema';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@shared/expiry';

export interface WatchedToken {
  accountId: string;
  accountLabel: string;
  name: string;
  expiresAt: number | null;
  /** Its value is delivered to CI: the notice offers "Rotate and deliver" (in the token's detail). */
  delivered?: boolean;
}

export interface Notice {
  title: string;
  body: string;
  /** The token a click opens, or null for a summary (opens the window). */
  ref: TokenRef | null;
}

export type NoticeSettings = Pick<
  Settings,
  'thresholdsMs' | 'quietHours' | 'mutedAccounts' | 'notificationsPausedUntil'
>;

export interface NoticePlan {
  notices: Notice[];
  records: Record<string, NoticeRecord>;
  /** The next instant anything can change, or null when no token will ever expire. */
  nextAt: number | null;
}

export const recordKey = (accountId: string, name: string) => JSON.stringify([accountId, name]);

interface Due {
  token: WatchedToken & { expiresAt: number };
  expired: boolean;
}

export function planNotices(
  tokens: readonly WatchedToken[],
  previous: Readonly<Record<string, NoticeRecord>>,
  settings: NoticeSettings,
  now: number,
): NoticePlan {
  const deferredUntil = deferral(settings, now);
  const muted = new Set(settings.mutedAccounts);
  const records: Record<string, NoticeRecord> = {};
  const due: Due[] = [];
  let nextAt: number | null = null;
  const wakeAt = (at: number) => {
    if (at > now && (nextAt === null || at < nextAt)) nextAt = at;
  };

  for (const token of tokens) {
    const { expiresAt } = token;
    if (expiresAt === null) continue;
    const key = recordKey(token.accountId, token.name);
    const crossed = settings.thresholdsMs.filter((t) => expiresAt - now <= t);
    const expiredNow = now >= expiresAt;
    const prior = previous[key];
    let record: NoticeRecord;
    if (prior?.expiresAt === expiresAt) {
      record = { ...prior, sent: [...prior.sent] };
    } else if (!prior && expiredNow) {
      record = { expiresAt, sent: [...settings.thresholdsMs], expired: true };
    } else {
      // A new token, or its expiry moved (a Cloud token was used): what is still crossed and was
      // told stays told; the rest will be told when crossed.
      record = {
        expiresAt,
        sent: prior ? prior.sent.filter((t) => crossed.includes(t)) : [],
        expired: false,
      };
    }

    const pending = crossed.some((t) => !record.sent.includes(t)) || (expiredNow && !record.expired);
    if (pending && deferredUntil !== null && !muted.has(token.accountId)) {
      wakeAt(deferredUntil);
    } else if (pending) {
      if (!muted.has(token.accountId))
        due.push({ token: { ...token, expiresAt }, expired: expiredNow && !record.expired });
      record.sent = [...new Set([...record.sent, ...crossed])];
      record.expired ||= expiredNow;
    }
    records[key] = record;

    for (const threshold of settings.thresholdsMs) wakeAt(expiresAt - threshold);
    wakeAt(expiresAt);
  }

  return { notices: compose(due, now), records, nextAt };
}

function compose(due: Due[], now: number): Notice[] {
  if (due.length === 0) return [];
  if (due.length === 1) {
    const { token, expired } = due[0]!;
    const ref = { accountId: token.accountId, name: token.name };
    return expired
      ? [
          {
            title: `Token expired: ${token.name}`,
            body: `${token.accountLabel}: ${token.name} has expired.${token.delivered ? ' Click to rotate and deliver it.' : ''}`,
            ref,
          },
        ]
      : [
          {
            title: `Token expiring: ${token.name}`,
            body: `${token.accountLabel}: ${token.name} expires in ${describeTimeLeft(token.expiresAt - now)}.${token.delivered ? ' Click to rotate and deliver it.' : ''}`,
            ref,
          },
        ];
  }
  const expired = due.filter((d) => d.expired).length;
  const soonest = [...due].sort((a, b) => a.token.expiresAt - b.token.expiresAt);
  const shown = soonest
    .slice(0, 3)
    .map(({ token, expired: gone }) =>
      gone
        ? `${token.name} (${token.accountLabel}) expired`
        : `${token.name} (${token.accountLabel}) in ${describeTimeLeft(token.expiresAt - now)}`,
    );
  const more = due.length - shown.length;
  const counts = [expired && `${expired} expired`, due.length - expired && `${due.length - expired} expiring`]
    .filter(Boolean)
    .join(', ');
  return [
    {
      title: `${due.length} SonarQube tokens need attention`,
      body: `${counts}: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`,
      ref: null,
    },
  ];
}

/** When notices may be sent again, if a pause or quiet hours hold them now; else null. */
function deferral(settings: NoticeSettings, now: number): number | null {
  const paused = settings.notificationsPausedUntil;
  const candidates = [
    paused !== null && paused > now ? paused : null,
    quietHoursEnd(settings.quietHours, now),
  ];
  const ends = candidates.filter((c): c is number => c !== null);
  return ends.length ? Math.max(...ends) : null;
}

/** The end of the quiet period holding `now` (local time), or null outside it. */
export function quietHoursEnd(quiet: Settings['quietHours'], now: number): number | null {
  if (!quiet || quiet.start === quiet.end) return null;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const date = new Date(now);
  const current = date.getHours() * 60 + date.getMinutes();
  const [start, end] = [minutes(quiet.start), minutes(quiet.end)];
  const inside = start < end ? current >= start && current < end : current >= start || current < end;
  if (!inside) return null;
  const endDate = new Date(now);
  endDate.setHours(Math.floor(end / 60), end % 60, 0, 0);
  if (endDate.getTime() <= now) endDate.setDate(endDate.getDate() + 1);
  return endDate.getTime();
}

/** "3 days", "5 hours", "12 minutes": how a notification says the time left. */
export function describeTimeLeft(ms: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (ms >= DAY_MS) return unit(Math.floor(ms / DAY_MS), 'day');
  if (ms >= HOUR_MS) return unit(Math.floor(ms / HOUR_MS), 'hour');
  if (ms >= MINUTE_MS) return unit(Math.floor(ms / MINUTE_MS), 'minute');
  return 'less than a minute';
}
