/**
 * What `list` shows: every account and the tokens of its last list (as the app last fetched it;
 * the CLI never asks a server), with the time left as the app counts it (the user's warning
 * thresholds), whether the vault holds the value, and when the list was fetched. One model, two
 * renderings: text for people, and JSON whose shape scripts can rely on. Never a value.
 */
import type { AccountKind, TokenType, TokenView } from '@contract';
import { expiryState, type ExpiryBasis, type ExpiryState } from '@shared/expiry';
import { describeTimeLeft } from '@core/expiry/notices';
import { redact } from '@core/redact';
import type { AccountRecord, Metadata } from '@core/storage/schema';
import { knownTokens, refName } from './token-ref';

/** `unknown`: a held value whose token no list shows yet (no list fetched since it was kept). */
export type TokenState = ExpiryState | 'unknown';

export interface TokenRow {
  /** What `copy`, `read` and `run` take: `<account>/<token>`. */
  ref: string;
  name: string;
  type: TokenType | null;
  projectKey: string | null;
  state: TokenState;
  expiresAt: number | null;
  expiryBasis: ExpiryBasis | null;
  /** Milliseconds left at `now` (negative once expired); null when it never expires or is unknown. */
  msLeft: number | null;
  inVault: boolean;
  /** False for a held value whose token the server no longer lists. */
  onServer: boolean;
  createdAt: number | null;
  lastUsedAt: number | null;
}

export interface AccountListing {
  id: string;
  label: string;
  kind: AccountKind;
  baseUrl: string;
  organization: string | null;
  login: string;
  /** Set aside when loaded (its entry failed the app's checks): never used, its tokens not shown. */
  setAside: { reason: string } | null;
  /** When the server last gave this list; null: none fetched yet. */
  listFetchedAt: number | null;
  tokens: TokenRow[];
}

export interface Listing {
  /** The JSON shape's version: fields are only ever added. */
  version: 1;
  now: number;
  dataDir: string;
  thresholdsMs: number[];
  accounts: AccountListing[];
  problems: string[];
}

export function vaultListing(
  metadata: Metadata,
  now: number,
  dataDir: string,
  problems: string[] = [],
): Listing {
  const thresholds = metadata.settings.thresholdsMs;
  const held = new Set(metadata.tokens.map((t) => `${t.accountId}\n${t.name}`));
  const inUse = metadata.accounts.map((account): AccountListing => {
    const snapshot = metadata.snapshots[account.id];
    const listed = new Map((snapshot?.tokens ?? []).map((t) => [t.name, t]));
    const rows = knownTokens(metadata, account.id).map((name) =>
      tokenRow(account, name, listed.get(name), held.has(`${account.id}\n${name}`)),
    );
    return {
      ...accountFields(account),
      setAside: null,
      listFetchedAt: snapshot?.refreshedAt ?? null,
      tokens: rows.sort((a, b) => a.name.localeCompare(b.name)),
    };
  });
  // An entry that failed its checks may hold anything: its words are sanitized, as the app's are.
  const setAside = metadata.setAside.map(({ account, reason }): AccountListing => ({
    ...accountFields(account),
    label: redact(account.label),
    setAside: { reason: redact(reason) },
    listFetchedAt: null,
    tokens: [],
  }));
  return {
    version: 1,
    now,
    dataDir,
    thresholdsMs: [...thresholds],
    accounts: [...inUse, ...setAside],
    problems,
  };

  function tokenRow(
    account: AccountRecord,
    name: string,
    token: Readonly<TokenView> | undefined,
    inVault: boolean,
  ): TokenRow {
    const expiresAt = token?.expiresAt ?? null;
    return {
      ref: refName(account, name, metadata.accounts),
      name,
      type: token?.type ?? null,
      projectKey: token?.projectKey ?? null,
      state: token ? expiryState(expiresAt, now, thresholds) : 'unknown',
      expiresAt,
      expiryBasis: token?.expiryBasis ?? null,
      msLeft: expiresAt === null ? null : expiresAt - now,
      inVault,
      onServer: token?.onServer ?? true,
      createdAt: token?.createdAt ?? null,
      lastUsedAt: token?.lastUsedAt ?? null,
    };
  }
}

function accountFields(account: AccountRecord) {
  return {
    id: account.id,
    label: account.label,
    kind: account.kind,
    baseUrl: account.baseUrl,
    organization: account.organization ?? null,
    login: account.login,
  };
}

const KIND_NAMES: Record<AccountKind, string> = {
  'cloud-eu': 'SonarQube Cloud EU',
  'cloud-us': 'SonarQube Cloud US',
  server: 'SonarQube Server',
};

/** The listing as text: one block per account, one aligned row per token. */
export function listingText(listing: Listing): string {
  const { now } = listing;
  if (!listing.accounts.length) {
    return `The vault has no accounts (data folder: ${listing.dataDir}).\n${problemLines(listing)}`;
  }
  const blocks = listing.accounts.map((account) => {
    const where = [KIND_NAMES[account.kind], account.organization ?? account.baseUrl, account.login].join(
      ' · ',
    );
    const head = `${account.label}  (${where})`;
    if (account.setAside) {
      return `${head}\n  Set aside, never used: ${account.setAside.reason} Open the app to see what to do.\n`;
    }
    const fetched =
      account.listFetchedAt === null
        ? '  No token list fetched yet: open the app to fetch one.'
        : `  List fetched ${dateTime(account.listFetchedAt)} (${ago(now - account.listFetchedAt)}).`;
    if (!account.tokens.length) return `${head}\n${fetched}\n  No tokens.\n`;
    const table = [
      ['STATE', 'TOKEN', 'TIME LEFT', 'EXPIRES', 'VAULT'],
      ...account.tokens.map((t) => [
        t.state,
        t.name,
        timeLeft(t),
        t.expiresAt === null ? '-' : dateTime(t.expiresAt),
        [t.inVault ? 'in vault' : '', t.onServer ? '' : '(not on server)'].filter(Boolean).join(' '),
      ]),
    ];
    return `${head}\n${fetched}\n${aligned(table)}`;
  });
  return `${blocks.join('\n')}${problemLines(listing)}`;
}

function timeLeft(row: TokenRow): string {
  if (row.state === 'unknown') return 'not listed yet';
  if (row.msLeft === null) return 'never expires';
  if (row.msLeft <= 0) return `expired ${ago(-row.msLeft)}`;
  // Cloud: 60 days after the last use, so using the token moves it on.
  return `${describeTimeLeft(row.msLeft)}${row.expiryBasis === 'rolling' ? ' if unused' : ''}`;
}

const ago = (ms: number) => (ms < 60_000 ? 'just now' : `${describeTimeLeft(ms)} ago`);

function problemLines(listing: Listing): string {
  return listing.problems.map((p) => `\nNote: ${p}\n`).join('');
}

/** `YYYY-MM-DD HH:MM` in local time: short, sortable, unambiguous. */
export function dateTime(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

function aligned(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      `  ${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
