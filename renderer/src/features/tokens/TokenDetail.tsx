import { useEffect, useId, useState, type ReactNode } from 'react';
import type { AccountView, HistoryEntry, TokenView } from '@contract';
import { errorMessage } from '@renderer/error-message';
import { formatDateTime, timeZoneName, tokenTypeName, utcDay } from '@renderer/format';
import { useVaultStore } from '@renderer/store/vault-store';
import { DeliveriesSection } from '@renderer/features/delivery/DeliveriesSection';

interface TokenDetailProps {
  token: TokenView;
  account: AccountView;
}

/**
 * Everything about one token, under its row: full dates (a Server's expiry also as the UTC day it
 * names), project, type, whose it is, how the vault came to hold its value, and the value's
 * copies and reveals. Never the value itself.
 */
export function TokenDetail({ token, account }: TokenDetailProps) {
  return (
    <div className="token-detail">
      <dl className="detail-facts">
        <Fact term="Created">
          {token.createdAt === null ? 'unknown' : <FullDateTime ms={token.createdAt} />}
        </Fact>
        <Fact term="Last used">
          {token.lastUsedAt === null ? 'never' : <FullDateTime ms={token.lastUsedAt} />}
        </Fact>
        <Fact term="Expires">{expiresText(token, account)}</Fact>
        <Fact term="Type">{tokenTypeName(token.type)}</Fact>
        <Fact term="Project">
          {token.projectKey ? (
            <>
              {token.projectName && token.projectName !== token.projectKey ? `${token.projectName} ` : ''}
              <code>{token.projectKey}</code>
            </>
          ) : (
            'none'
          )}
        </Fact>
        <Fact term="Belongs to">{token.owner ?? `${account.userName} (${account.login})`}</Fact>
        <Fact term="Value">{valueText(token)}</Fact>
      </dl>
      <UseHistory token={token} />
      <DeliveriesSection token={token} />
    </div>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="detail-fact">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function FullDateTime({ ms }: { ms: number }) {
  return (
    <time dateTime={new Date(ms).toISOString()}>
      {formatDateTime(ms)} {timeZoneName(ms)}
    </time>
  );
}

/** A Server's date is a UTC day: shown in the user's time, and as the day the server means. */
export function expiresText(
  token: Pick<TokenView, 'expiresAt' | 'expiryBasis'>,
  account: Pick<AccountView, 'kind'>,
) {
  if (token.expiresAt === null) return 'never';
  const when = `${formatDateTime(token.expiresAt)} ${timeZoneName(token.expiresAt)}`;
  if (token.expiryBasis === 'rolling') return `${when} (60 days after last use)`;
  if (account.kind === 'server') return `${when} (UTC day ${utcDay(token.expiresAt)})`;
  return when;
}

/** Where the value is and how the vault came by it. */
export function valueText(
  token: Pick<TokenView, 'inVault' | 'origin' | 'ownCredential' | 'onServer' | 'keepAlive'>,
): string {
  if (token.ownCredential) return "The vault's own credential: it signs in with it";
  if (!token.inVault) return 'Not in the vault';
  const how =
    token.origin === 'generated' ? ', generated here' : token.origin === 'imported' ? ', imported' : '';
  const gone = token.onServer ? '' : '. The server no longer lists it';
  const kept = token.keepAlive ? '. Kept alive' : '';
  return `In the vault (OS keychain)${how}${gone}${kept}`;
}

const ACTIONS: Readonly<Record<HistoryEntry['action'], string>> = {
  copy: 'Copied',
  reveal: 'Revealed',
  read: 'Read by a program',
  run: 'Passed to a command',
};
const VIA: Readonly<Record<HistoryEntry['via'], string>> = {
  window: 'in the window',
  tray: 'from the tray',
  cli: 'from the command line',
};

/** "Copied from the tray": one use of the value, in words. */
export function historyText(entry: Pick<HistoryEntry, 'action' | 'via'>): string {
  return `${ACTIONS[entry.action]} ${VIA[entry.via]}`;
}

/** The value's last copies and reveals, asked again after each one made in this window. */
function UseHistory({ token }: { token: TokenView }) {
  const tokenHistory = useVaultStore((s) => s.tokenHistory);
  const lastUse = useVaultStore((s) =>
    s.lastUse?.ref.accountId === token.accountId && s.lastUse.ref.name === token.name ? s.lastUse.at : null,
  );
  const [history, setHistory] = useState<{ entries?: HistoryEntry[]; error?: string }>({});
  const headingId = useId();
  const { accountId, name } = token;

  useEffect(() => {
    let current = true;
    tokenHistory({ accountId, name }).then(
      (entries) => current && setHistory({ entries }),
      (error: unknown) => current && setHistory({ error: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [accountId, name, lastUse, tokenHistory]);

  const { entries, error } = history;
  return (
    <section className="detail-history" aria-labelledby={headingId}>
      <h3 id={headingId}>Copies and reveals</h3>
      {error ? (
        <p className="field-error">{error}</p>
      ) : entries === undefined ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="muted">None yet</p>
      ) : (
        <ol className="history-list" aria-labelledby={headingId} tabIndex={0}>
          {entries.map((entry, i) => (
            <li key={`${entry.at}-${i}`}>
              <FullDateTime ms={entry.at} /> <span>{historyText(entry)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
