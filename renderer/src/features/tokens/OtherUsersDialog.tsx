import { memo, useCallback, useId, useMemo, useState, type FormEvent } from 'react';
import type { AccountView, TokenList, TokenView } from '@contract';
import { errorMessage } from '@renderer/error-message';
import { formatDate, tokenTypeName } from '@renderer/format';
import { useVaultStore } from '@renderer/store/vault-store';
import { ConfirmDialog } from '@renderer/ui/ConfirmDialog';
import { Field } from '@renderer/ui/Field';
import { Modal } from '@renderer/ui/Modal';
import { useRowTabIndex, VirtualTable } from '@renderer/ui/VirtualTable';
import { UserPicker } from '@renderer/features/admin-overview/UserPicker';
import { CountdownCell } from './CountdownCell';
import { GenerateDialog } from './GenerateDialog';
import { revokeQuestion } from './lifecycle-text';
import { OnceValuePanel, useOnceValue } from './OnceValuePanel';
import { byTimeLeft } from './token-order';
import { DateTime, ExpiresCell } from './TokenRow';
import { tokenColumns } from './TokenTable';
import { TokenName } from './TokenName';

interface OtherUsersDialogProps {
  /** An administrator's account. */
  account: AccountView;
  onClose: () => void;
}

/**
 * An administrator looks at another user's tokens: revoke one, or generate one to hand over.
 * Nothing of that user's is kept, neither in the vault nor in the store: the list lives here.
 * On a SonarQube Server the user is searched for as the administrator types (name, login or
 * e-mail); SonarQube Cloud has no such search, so there it is the exact login.
 */
export function OtherUsersDialog({ account, onClose }: OtherUsersDialogProps) {
  const listTokensFor = useVaultStore((s) => s.listTokensFor);
  const revokeToken = useVaultStore((s) => s.revokeToken);
  const toast = useVaultStore((s) => s.toast);
  const [login, setLogin] = useState('');
  /** The list shown, and whose it is (the field may have changed since). */
  const [shown, setShown] = useState<{ login: string; list: TokenList } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<TokenView | null>(null);
  const [generating, setGenerating] = useState(false);
  const [once, setOnce] = useOnceValue();
  const id = useId();

  async function load(whose: string): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const list = await listTokensFor({ accountId: account.id, login: whose });
      setShown({ login: whose, list });
    } catch (failure) {
      setShown(null);
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const trimmed = login.trim();
    if (!trimmed) return setError('Enter a login.');
    void load(trimmed);
  }

  const close = () => {
    if (!busy) onClose();
  };
  const showButton = (
    <button type="submit" className="button primary" aria-disabled={busy}>
      {busy ? 'Loading…' : 'Show tokens'}
    </button>
  );
  const list = shown?.list;
  const tokens = useMemo(() => (list ? [...list.tokens].sort(byTimeLeft) : []), [list]);
  const renderCells = useCallback(
    (token: TokenView) => <OtherUserTokenCells token={token} onRevoke={setRevoking} />,
    [],
  );

  return (
    <>
      <Modal title="Other users' tokens" className="others-dialog" onEscape={close}>
        <p className="modal-lead">
          On <strong>{account.label}</strong>, as administrator {account.login}
        </p>
        <form className="others-form" onSubmit={submit} noValidate aria-busy={busy}>
          {account.kind === 'server' ? (
            <UserPicker
              id={`${id}-login`}
              label="Login, name or e-mail"
              accountId={account.id}
              value={login}
              onChange={setLogin}
              onPick={(user) => {
                if (!busy) void load(user.login);
              }}
            >
              {showButton}
            </UserPicker>
          ) : (
            <>
              <Field
                id={`${id}-login`}
                label="Login"
                hint="SonarQube Cloud has no user search here: type the exact login."
              >
                <input
                  id={`${id}-login`}
                  value={login}
                  onChange={(e) => setLogin(e.target.value)}
                  maxLength={255}
                  autoComplete="off"
                  spellCheck={false}
                  aria-describedby={`${id}-login-hint`}
                />
              </Field>
              {showButton}
            </>
          )}
        </form>
        {error && (
          <p role="alert" className="form-error">
            {error}
          </p>
        )}
        {shown && (
          <section className="others-result" aria-label={`Tokens of ${shown.login}`}>
            <div className="others-result-head">
              <h3>{shown.login}</h3>
              <button type="button" className="button" onClick={() => setGenerating(true)}>
                Generate for {shown.login}
              </button>
            </div>
            {tokens.length === 0 ? (
              <p className="placeholder">{shown.login} has no tokens</p>
            ) : (
              <VirtualTable
                label={`Tokens of ${shown.login}`}
                className="tokens"
                scrollClassName="in-dialog"
                columns={OTHER_USER_COLUMNS}
                rows={tokens}
                rowKey={tokenKey}
                renderCells={renderCells}
                estimateRowHeight={52}
              />
            )}
          </section>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={close} aria-disabled={busy}>
            Close
          </button>
        </div>
      </Modal>
      {/* Siblings of the dialog above, not inside it: their keys must not reach its handler. */}
      {revoking && shown && (
        <ConfirmDialog
          title="Revoke token"
          confirmLabel="Revoke"
          busyLabel="Revoking…"
          danger
          onConfirm={() => revokeToken({ accountId: account.id, name: revoking.name, login: shown.login })}
          onDone={() => {
            setRevoking(null);
            toast(`Revoked ${revoking.name} of ${shown.login}`);
            void load(shown.login);
          }}
          onCancel={() => setRevoking(null)}
        >
          {revokeQuestion(revoking.name, account.label)}
        </ConfirmDialog>
      )}
      {generating && shown && (
        <GenerateDialog
          account={account}
          forUser={shown.login}
          onCancel={() => setGenerating(false)}
          onGenerated={(generated) => {
            setGenerating(false);
            setOnce(generated);
            void load(shown.login);
          }}
        />
      )}
      {once && <OnceValuePanel generated={once} onDone={() => setOnce(null)} />}
    </>
  );
}

const OTHER_USER_COLUMNS = tokenColumns(false);
const tokenKey = (token: TokenView) => token.name;

interface OtherUserTokenCellsProps {
  token: TokenView;
  onRevoke: (token: TokenView) => void;
}

/** Another user's token: its facts and countdown, and Revoke (nothing of theirs is held here). */
const OtherUserTokenCells = memo(function OtherUserTokenCells({ token, onRevoke }: OtherUserTokenCellsProps) {
  const tabIndex = useRowTabIndex();
  return (
    <>
      <td className="cell-name">
        <TokenName token={token} />
      </td>
      <td>{tokenTypeName(token.type)}</td>
      <td>
        {token.createdAt === null ? '—' : <span className="nowrap">{formatDate(token.createdAt)}</span>}
      </td>
      <td>{token.lastUsedAt === null ? 'never' : <DateTime ms={token.lastUsedAt} />}</td>
      <ExpiresCell token={token} />
      <CountdownCell expiresAt={token.expiresAt} serverSaysExpired={token.serverSaysExpired} />
      <td className="cell-actions">
        <button
          type="button"
          className="button small quiet"
          tabIndex={tabIndex}
          onClick={() => onRevoke(token)}
        >
          Revoke
        </button>
      </td>
    </>
  );
});
