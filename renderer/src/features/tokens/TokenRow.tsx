import { useEffect, useRef, useState } from 'react';
import type { TokenView } from '../../../../electron/contract';
import {
  MASKED_VALUE,
  formatDate,
  formatDateTime,
  formatTime,
  timeZoneName,
  tokenTypeName,
} from '../../format';
import { useVaultStore, type Revealed } from '../../store/vault-store';
import { useSecretState } from '../../ui/use-secret-state';
import { CountdownCell } from './CountdownCell';

/** One token: its facts, its countdown, and for a token the vault holds, copy and reveal. */
export function TokenRow({ token }: { token: TokenView }) {
  const highlighted = useVaultStore(
    (s) => s.highlight?.accountId === token.accountId && s.highlight.name === token.name,
  );
  const rowRef = useRef<HTMLTableRowElement>(null);

  useEffect(() => {
    // A notification pointed here: bring the row into view and put keyboard focus on it.
    if (!highlighted || !rowRef.current) return;
    rowRef.current.scrollIntoView({ block: 'center' });
    if (!rowRef.current.closest('[inert]')) rowRef.current.focus();
  }, [highlighted]);

  return (
    <tr
      ref={rowRef}
      className={highlighted ? 'highlighted' : undefined}
      aria-current={highlighted ? 'true' : undefined}
      tabIndex={highlighted ? -1 : undefined}
    >
      <td className="cell-name">
        <span className="token-name">{token.name}</span>
        {token.projectKey && (
          <span className="token-project" title={token.projectName}>
            {token.projectKey}
          </span>
        )}
      </td>
      <td>{tokenTypeName(token.type)}</td>
      <td>
        {token.createdAt === null ? '—' : <span className="nowrap">{formatDate(token.createdAt)}</span>}
      </td>
      <td>{token.lastUsedAt === null ? 'never' : <DateTime ms={token.lastUsedAt} />}</td>
      <ExpiresCell token={token} />
      <CountdownCell expiresAt={token.expiresAt} serverSaysExpired={token.serverSaysExpired} />
      <td className="cell-vault">
        {token.inVault ? (
          <span className="badge in-vault">In vault</span>
        ) : (
          <span className="muted">Not in vault</span>
        )}
      </td>
      <td className="cell-actions">{token.inVault && <HeldValueActions token={token} />}</td>
    </tr>
  );
}

function ExpiresCell({ token }: { token: TokenView }) {
  if (token.expiresAt === null) return <td>never</td>;
  return (
    <td>
      <DateTime ms={token.expiresAt} />
      {token.expiryBasis === 'rolling' && <span className="cell-hint">60 days after last use</span>}
    </td>
  );
}

/** Date and time in the user's time zone; a narrow column wraps between the two, not inside. */
function DateTime({ ms }: { ms: number }) {
  return (
    <span title={`${formatDateTime(ms)} ${timeZoneName(ms)}`}>
      <span className="nowrap">{formatDate(ms)}</span> <span className="nowrap">{formatTime(ms)}</span>
    </span>
  );
}

/**
 * Copy (in the core, the value never comes here) and an explicit reveal. A revealed value lives
 * in this row's state only, and is dropped after the core's `hideAfterMs` or on "Hide".
 */
function HeldValueActions({ token }: { token: TokenView }) {
  const copyToken = useVaultStore((s) => s.copyToken);
  const revealToken = useVaultStore((s) => s.revealToken);
  const [revealed, setRevealed] = useSecretState<Revealed>();
  const [busy, setBusy] = useState(false);
  const ref = { accountId: token.accountId, name: token.name };

  useEffect(() => {
    if (!revealed) return;
    const timer = setTimeout(() => setRevealed(null), revealed.hideAfterMs);
    return () => clearTimeout(timer);
  }, [revealed, setRevealed]);

  async function reveal() {
    if (busy) return;
    setBusy(true);
    const answer = await revealToken(ref);
    setBusy(false);
    if (answer) setRevealed(answer);
  }

  const hide = () => setRevealed(null);

  return (
    <div className="held-value">
      <div className="held-value-line">
        {revealed === null && (
          <code className="secret masked">
            <span aria-hidden="true">{MASKED_VALUE}</span>
            <span className="sr-only">Value hidden</span>
          </code>
        )}
        <button type="button" className="button small" onClick={() => void copyToken(ref)}>
          Copy
        </button>
        {revealed === null ? (
          <button type="button" className="button small" onClick={() => void reveal()} aria-disabled={busy}>
            Reveal
          </button>
        ) : (
          <button type="button" className="button small" onClick={hide}>
            Hide
          </button>
        )}
      </div>
      {revealed !== null && <code className="secret revealed">{revealed.value}</code>}
    </div>
  );
}
