import { memo, useEffect, useState } from 'react';
import type { TokenView } from '@contract';
import {
  MASKED_VALUE,
  formatDate,
  formatDateTime,
  formatTime,
  timeZoneName,
  tokenTypeName,
} from '@renderer/format';
import { useVaultStore, type Revealed } from '@renderer/store/vault-store';
import { useSecretState } from '@renderer/ui/use-secret-state';
import { useRowTabIndex, WithDetailToggle } from '@renderer/ui/VirtualTable';
import { OwnCredentialBadge } from '@renderer/features/own-credential/OwnCredentialBadge';
import { CountdownCell } from './CountdownCell';
import { rotationFailedText } from './lifecycle-text';
import type { TokenActionKind } from './token-actions';
import { TokenName } from './TokenName';

interface TokenRowProps {
  token: TokenView;
  onAction: (kind: TokenActionKind, token: TokenView) => void;
}

interface TokenCellsProps extends TokenRowProps {
  /** A Cloud account's row: a held token can be kept alive. */
  cloud: boolean;
}

/** Whether Copy and Reveal apply: the vault holds the value, and it is not the vault's own credential. */
export function canCopy(token: TokenView): boolean {
  return token.inVault && !token.ownCredential;
}

/**
 * One token's cells: its facts and countdown (or, once the server has dropped it, that it is
 * gone), and its actions: copy and reveal for a held value, then the quieter import, revoke and
 * forget. Memoized: a table re-renders only the rows whose token changed.
 */
export const TokenCells = memo(function TokenCells({ token, onAction, cloud }: TokenCellsProps) {
  return (
    <>
      <td className="cell-name">
        <WithDetailToggle>
          <TokenName token={token} />
          {token.rotation && <RotationNote token={token} onAction={onAction} />}
        </WithDetailToggle>
      </td>
      <td>{tokenTypeName(token.type)}</td>
      {token.onServer ? (
        <>
          <td>
            {token.createdAt === null ? '—' : <span className="nowrap">{formatDate(token.createdAt)}</span>}
          </td>
          <td>{token.lastUsedAt === null ? 'never' : <DateTime ms={token.lastUsedAt} />}</td>
          <ExpiresCell token={token} />
          <CountdownCell expiresAt={token.expiresAt} serverSaysExpired={token.serverSaysExpired} />
        </>
      ) : (
        <GoneCell />
      )}
      <td className="cell-vault">
        {token.ownCredential ? (
          <OwnCredentialBadge />
        ) : token.inVault ? (
          <span className="badge in-vault">In vault</span>
        ) : (
          <span className="muted">Not in vault</span>
        )}
        {cloud && token.inVault && token.onServer && !token.owner && !token.ownCredential && (
          <KeepAliveToggle token={token} />
        )}
      </td>
      <td className="cell-actions">
        <RowActions token={token} onAction={onAction} />
      </td>
    </>
  );
});

/** Cloud: the vault uses the token before its 60-day window closes. */
function KeepAliveToggle({ token }: { token: TokenView }) {
  const setKeepAlive = useVaultStore((s) => s.setKeepAlive);
  const tabIndex = useRowTabIndex();
  // The choice shows at once; the row's `keepAlive` takes over once the core answers (or refuses).
  const [pending, setPending] = useState<boolean | null>(null);

  async function toggle(enabled: boolean) {
    if (pending !== null) return;
    setPending(enabled);
    await setKeepAlive({ accountId: token.accountId, name: token.name }, enabled);
    setPending(null);
  }

  return (
    <label className="checkbox keep-alive" title="Uses the token before its 60-day window closes">
      <input
        type="checkbox"
        checked={pending ?? token.keepAlive}
        tabIndex={tabIndex}
        aria-label={`Keep ${token.name} alive`}
        aria-disabled={pending !== null}
        onChange={(event) => void toggle(event.target.checked)}
      />
      Keep alive
    </label>
  );
}

/** In place of the dates and countdown: the server no longer lists this token. */
function GoneCell() {
  return (
    <td colSpan={4}>
      <div className="gone-note">
        <span className="badge gone">Gone from server</span>
        <span className="cell-hint">Revoked, expired or removed for inactivity</span>
      </div>
    </td>
  );
}

/** What can be done with this row: which actions depends on where the token and its value are. */
function RowActions({ token, onAction }: TokenRowProps) {
  const tabIndex = useRowTabIndex();
  const secondary = (
    <>
      {token.onServer && !token.inVault && !token.ownCredential && (
        <button
          type="button"
          className="button small quiet"
          tabIndex={tabIndex}
          onClick={() => onAction('import', token)}
        >
          Import value
        </button>
      )}
      {token.onServer && !token.owner && !token.rotation && !token.ownCredential && (
        <button
          type="button"
          className="button small quiet"
          tabIndex={tabIndex}
          onClick={() => onAction('rotate', token)}
        >
          Rotate
        </button>
      )}
      {token.onServer && (
        <button
          type="button"
          className="button small quiet"
          tabIndex={tabIndex}
          onClick={() => onAction('revoke', token)}
        >
          Revoke
        </button>
      )}
      {!token.onServer && (
        <button
          type="button"
          className="button small quiet"
          tabIndex={tabIndex}
          onClick={() => onAction('forget', token)}
        >
          Forget value
        </button>
      )}
    </>
  );
  // Two short lines rather than one long one: the rows are two lines tall anyway (dates wrap),
  // and a single line of five controls would push the table wider than a 1280 px window.
  return (
    <div className="row-actions">
      {canCopy(token) && <HeldValueActions token={token} />}
      <div className="row-actions-line secondary">{secondary}</div>
    </div>
  );
}

/**
 * Under the name of a token in a rotation: which token replaces it (or which it replaces), and
 * for the old one, the rotation's two ways out.
 */
function RotationNote({ token, onAction }: TokenRowProps) {
  const cancelRotation = useVaultStore((s) => s.cancelRotation);
  const [cancelling, setCancelling] = useState(false);
  const tabIndex = useRowTabIndex();
  const rotation = token.rotation;
  if (!rotation) return null;
  if (rotation.role === 'successor') {
    return (
      <div className="rotation-note">
        <span className="rotation-text">Replaces {rotation.partner}</span>
      </div>
    );
  }

  async function cancel() {
    if (cancelling) return;
    setCancelling(true);
    await cancelRotation({ accountId: token.accountId, name: token.name });
    setCancelling(false);
  }

  return (
    <div className="rotation-note">
      <span className="rotation-text">
        Being replaced by {rotation.partner}
        {rotation.revokeAt !== null && (
          <span className="cell-hint">
            revoked automatically at <DateTime ms={rotation.revokeAt} />
          </span>
        )}
      </span>
      {rotation.lastError && <span className="rotation-error">{rotationFailedText(rotation.lastError)}</span>}
      <span className="rotation-actions">
        {token.onServer && (
          <button
            type="button"
            className="button small quiet"
            tabIndex={tabIndex}
            onClick={() => onAction('finish-rotation', token)}
          >
            Revoke old now
          </button>
        )}
        <button
          type="button"
          className="button small quiet"
          tabIndex={tabIndex}
          onClick={() => void cancel()}
          aria-disabled={cancelling}
        >
          Cancel rotation
        </button>
      </span>
    </div>
  );
}

export function ExpiresCell({ token }: { token: TokenView }) {
  if (token.expiresAt === null) return <td>never</td>;
  return (
    <td>
      <DateTime ms={token.expiresAt} />
      {token.expiryBasis === 'rolling' && <span className="cell-hint">60 days after last use</span>}
    </td>
  );
}

/** Date and time in the user's time zone; a narrow column wraps between the two, not inside. */
export function DateTime({ ms }: { ms: number }) {
  return (
    <span title={`${formatDateTime(ms)} ${timeZoneName(ms)}`}>
      <span className="nowrap">{formatDate(ms)}</span> <span className="nowrap">{formatTime(ms)}</span>
    </span>
  );
}

/**
 * Copy (in the core, the value never comes here) and an explicit reveal. A revealed value lives
 * in this row's state only, and is dropped after the core's `hideAfterMs`, on "Hide", or when the
 * window hides.
 */
function HeldValueActions({ token }: { token: TokenView }) {
  const copyToken = useVaultStore((s) => s.copyToken);
  const revealToken = useVaultStore((s) => s.revealToken);
  const [revealed, setRevealed] = useSecretState<Revealed>();
  const [busy, setBusy] = useState(false);
  const tabIndex = useRowTabIndex();
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
    <>
      <div className="row-actions-line">
        {revealed === null && (
          <code className="secret masked">
            <span aria-hidden="true">{MASKED_VALUE}</span>
            <span className="sr-only">Value hidden</span>
          </code>
        )}
        <button
          type="button"
          className="button small"
          tabIndex={tabIndex}
          title="Copy the value (Enter on the row)"
          aria-keyshortcuts="Enter"
          onClick={() => void copyToken(ref)}
        >
          Copy
        </button>
        {revealed === null ? (
          <button
            type="button"
            className="button small"
            tabIndex={tabIndex}
            onClick={() => void reveal()}
            aria-disabled={busy}
          >
            Reveal
          </button>
        ) : (
          <button type="button" className="button small" tabIndex={tabIndex} onClick={hide}>
            Hide
          </button>
        )}
      </div>
      {revealed !== null && <code className="secret revealed">{revealed.value}</code>}
    </>
  );
}
