/**
 * A token as the window shows it, built from the server's answer and what the vault keeps: one
 * object per token (a refresh makes thousands), marked with its rotation and delivery targets.
 */
import type { GenerateInput, TokenView } from '@contract';
import { flavourOf } from '@core/accounts/access';
import { isOwnCredential } from '@core/own-credential/marks';
import { redact } from '@core/redact';
import type { GeneratedToken, ServerToken } from '@core/sonarqube/client';
import { parseSonarDate } from '@core/sonarqube/dates';
import type { AccountRecord, Metadata, RotationRecord, VaultTokenRecord } from '@core/storage/schema';
import { tokenExpiry, type Flavour } from '@shared/expiry';

/**
 * What the server says of a token, as a view: one object per token (a refresh makes thousands).
 * `held`: whether the vault holds its value and keeps it alive; the rest comes from toView.
 */
export function serverView(
  accountId: string,
  token: ServerToken,
  flavour: Flavour,
  held: { inVault: boolean; keepAlive: boolean } = { inVault: false, keepAlive: false },
): TokenView {
  const createdAt = parseSonarDate(token.createdAt);
  const lastUsedAt = parseSonarDate(token.lastConnectionDate);
  const { expiresAt, basis } = tokenExpiry(
    { createdAt, lastUsedAt, serverExpiresAt: parseSonarDate(token.expirationDate) },
    flavour,
  );
  return {
    accountId,
    name: token.name,
    type: token.type,
    projectKey: token.project?.key,
    projectName: token.project?.name,
    createdAt,
    lastUsedAt,
    expiresAt,
    expiryBasis: basis,
    serverSaysExpired: token.isExpired ?? false,
    inVault: held.inVault,
    onServer: true,
    keepAlive: held.keepAlive,
  };
}

/**
 * A token of the account's: `held`, the vault's record of its value, or whether it holds one;
 * `owner`, whose token it is when an administrator lists another user's (see isOwnCredential).
 */
export function toView(
  account: AccountRecord,
  token: ServerToken,
  held: VaultTokenRecord | boolean,
  owner?: string,
): TokenView {
  const record = typeof held === 'object' ? held : undefined;
  const view = serverView(account.id, token, flavourOf(account), {
    inVault: held !== false,
    keepAlive: record?.keepAlive ?? false,
  });
  if (record?.origin) view.origin = record.origin;
  if (isOwnCredential(account, token.name, owner)) view.ownCredential = true;
  return view;
}

/** A held token the server no longer lists: what the vault recorded when it stored the value. */
export function fromRecord(record: VaultTokenRecord): ServerToken {
  return {
    name: record.name,
    type: record.type,
    project: record.projectKey ? { key: record.projectKey } : undefined,
  };
}

export function fromGenerated(generated: GeneratedToken, input: GenerateInput): ServerToken {
  return {
    name: generated.name,
    type: generated.type ?? input.type,
    project: generated.projectKey ? { key: generated.projectKey } : undefined,
    createdAt: generated.createdAt,
    expirationDate: generated.expirationDate,
  };
}

/** How the vault came to hold a value, when it recorded that (older records did not). */
export function heldRecords(metadata: Metadata, accountId: string): Map<string, VaultTokenRecord> {
  return new Map(metadata.tokens.filter((t) => t.accountId === accountId).map((t) => [t.name, t]));
}

/** How many delivery targets each token of the account has (few tokens have any). */
export function deliveryCounts(metadata: Metadata, accountId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of metadata.deliveries ?? []) {
    if (d.accountId === accountId) counts.set(d.tokenName, (counts.get(d.tokenName) ?? 0) + 1);
  }
  return counts;
}

export function withTargets(view: TokenView, counts: ReadonlyMap<string, number>): TokenView {
  const count = counts.get(view.name);
  return count ? { ...view, deliveryTargets: count } : view;
}

export function rotationRecords(metadata: Metadata, accountId: string): RotationRecord[] {
  return (metadata.rotations ?? []).filter((r) => r.accountId === accountId);
}

/** Marks both tokens of each rotation; any rotation a view carried before is replaced. */
export function withRotations(views: readonly TokenView[], rotations: RotationRecord[]): TokenView[] {
  const byName = new Map<string, NonNullable<TokenView['rotation']>>();
  for (const r of rotations) {
    // Sanitized again here: a record written by an older version went to disk as it was.
    const state = {
      revokeAt: r.revokeAt,
      ...(r.lastError === undefined ? {} : { lastError: redact(r.lastError) }),
    };
    byName.set(r.successor, { role: 'successor', partner: r.predecessor, ...state });
    byName.set(r.predecessor, { role: 'predecessor', partner: r.successor, ...state });
  }
  // Most lists are in no rotation: their views are kept as they are, not copied.
  return views.map((view) => {
    const rotation = byName.get(view.name);
    if (rotation) return { ...view, rotation };
    if (!view.rotation) return view;
    const { rotation: _previous, ...rest } = view;
    return rest;
  });
}
