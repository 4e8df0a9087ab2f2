/**
 * `<account>/<token>` on the command line: the account by its label (any case) or its id, the
 * token by its name. Labels and names may themselves contain '/', so every split is tried; a
 * mistyped reference is answered with the closest names the vault knows, so the user need not
 * run `list` to find the spelling.
 */
import type { AccountRecord, Metadata } from '@core/storage/schema';
import { CliError } from './errors';

export interface ResolvedRef {
  account: AccountRecord;
  name: string;
  /** How to show (and type) it: `<label>/<name>`, or the id when two accounts share a label. */
  shownAs: string;
}

/** Every token name the vault knows per account: its last list's, and those whose value it holds. */
export function knownTokens(metadata: Metadata, accountId: string): string[] {
  const names = new Set((metadata.snapshots[accountId]?.tokens ?? []).map((t) => t.name));
  for (const t of metadata.tokens) if (t.accountId === accountId) names.add(t.name);
  return [...names];
}

/** What to type for an account: its label, unless another account has the same one (then its id). */
export function accountRefName(account: AccountRecord, accounts: readonly AccountRecord[]): string {
  const same = accounts.filter((a) => a.label.toLowerCase() === account.label.toLowerCase());
  return same.length > 1 ? account.id : account.label;
}

export function refName(account: AccountRecord, name: string, accounts: readonly AccountRecord[]): string {
  return `${accountRefName(account, accounts)}/${name}`;
}

const matches = (account: AccountRecord, typed: string) =>
  account.id === typed || account.label.toLowerCase() === typed.toLowerCase();

export function resolveRef(typed: string, metadata: Metadata): ResolvedRef {
  const { accounts } = metadata;
  const splits = [...typed.matchAll(/\//g)]
    .map((m) => [typed.slice(0, m.index), typed.slice(m.index + 1)] as const)
    .filter(([account, name]) => account && name);
  if (!splits.length) {
    throw new CliError(
      `Name a token as <account>/<token> (the account's label or id), not "${typed}".${didYouMean(typed, metadata)}`,
    );
  }

  const accountMatched: { account: AccountRecord; name: string }[] = [];
  const found: ResolvedRef[] = [];
  for (const [accountPart, name] of splits) {
    for (const account of accounts.filter((a) => matches(a, accountPart))) {
      accountMatched.push({ account, name });
      if (knownTokens(metadata, account.id).includes(name)) {
        found.push({ account, name, shownAs: refName(account, name, accounts) });
      }
    }
  }
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new CliError(
      `"${typed}" could name ${found.length} tokens: ${found.map((f) => `${f.account.id}/${f.name}`).join(', ')}. ` +
        'Name the account by its id.',
    );
  }
  if (accountMatched.length) {
    const { account, name } = accountMatched[0]!;
    throw new CliError(
      `${accountRefName(account, accounts)} has no token "${name}" in its last list.${didYouMean(typed, metadata)}`,
    );
  }
  const setAside = metadata.setAside.find(({ account }) => splits.some(([part]) => matches(account, part)));
  if (setAside) {
    throw new CliError(
      `The account ${setAside.account.label} is set aside and never used: ${setAside.reason} ` +
        'Open the app to see what to do.',
    );
  }
  const known = accounts.length
    ? `The vault's accounts: ${accounts.map((a) => `${a.label} (${a.id})`).join(', ')}.`
    : 'The vault has no accounts.';
  const tried = splits.map(([part]) => `"${part}"`).join(' or ');
  throw new CliError(`No account is named ${tried}. ${known}${didYouMean(typed, metadata)}`);
}

/** The closest `<account>/<token>` names to what was typed, as a sentence (or nothing). */
export function didYouMean(typed: string, metadata: Metadata): string {
  const close = closeMatches(typed, metadata);
  return close.length ? ` Did you mean: ${close.join(', ')}?` : '';
}

export function closeMatches(typed: string, metadata: Metadata, limit = 5): string[] {
  const { accounts } = metadata;
  // Each way to read what was typed: account and token parts (no account part: any account).
  const readings: [string | null, string][] = [
    [null, typed],
    ...[...typed.matchAll(/\//g)].map((m): [string, string] => [
      typed.slice(0, m.index),
      typed.slice(m.index + 1),
    ]),
  ];
  const scored = accounts.flatMap((account) =>
    knownTokens(metadata, account.id).flatMap((name) => {
      const distances = readings.flatMap(([accountPart, namePart]) => {
        const nameOff = editDistance(namePart.toLowerCase(), name.toLowerCase());
        const accountOff =
          accountPart === null
            ? 0
            : Math.min(
                editDistance(accountPart.toLowerCase(), account.label.toLowerCase()),
                editDistance(accountPart, account.id),
              );
        // A name a few edits off in an account a few edits off; or the very name in another account.
        const close =
          nameOff <= tolerance(namePart) && (accountPart === null || accountOff <= tolerance(accountPart));
        return close || (nameOff === 0 && accountPart !== null) ? [nameOff + accountOff] : [];
      });
      return distances.length
        ? [{ shown: refName(account, name, accounts), distance: Math.min(...distances) }]
        : [];
    }),
  );
  return scored
    .sort((a, b) => a.distance - b.distance || a.shown.localeCompare(b.shown))
    .slice(0, limit)
    .map((s) => s.shown);
}

/** How many edits still read as a typo of this text: a third of it, at least one. */
const tolerance = (text: string) => Math.max(1, Math.floor(text.length / 3));

/** Levenshtein distance: insertions, deletions and substitutions, one each. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
