import { useId, useState, type FormEvent } from 'react';
import type { AccountKind } from '@contract';
import { errorMessage } from '@renderer/error-message';
import { ACCOUNT_KIND_NAMES, ACCOUNT_KIND_ORDER } from '@renderer/format';
import { useVaultStore } from '@renderer/store/vault-store';
import { Field } from '@renderer/ui/Field';
import { FormFooter } from '@renderer/ui/FormFooter';
import { Modal } from '@renderer/ui/Modal';
import { Checkbox } from '@renderer/ui/Checkbox';
import { BrowserSignIn, type SignedIn } from '@renderer/features/sign-in/BrowserSignIn';
import { CaCertificateField, type ChosenCa } from './CaCertificateField';
import { OrganizationField } from './OrganizationField';

/**
 * Adds an account after the core has checked the server and the token live: signed in through
 * the browser (the token never passes through here), or with a pasted token, which lives only in
 * this dialog's state: cleared on success and gone with the dialog on cancel. Validation is the
 * core's, so every message reads the same whichever way the input came.
 */
export function AddAccountDialog({ onClose }: { onClose: () => void }) {
  const addAccount = useVaultStore((s) => s.addAccount);
  const [kind, setKind] = useState<AccountKind>('cloud-eu');
  const [baseUrl, setBaseUrl] = useState('');
  const [organization, setOrganization] = useState('');
  const [credential, setCredential] = useState('');
  const [label, setLabel] = useState('');
  const [ca, setCa] = useState<ChosenCa | null>(null);
  const [allowInsecureHttp, setAllowInsecureHttp] = useState(false);
  const [ownCredential, setOwnCredential] = useState(true);
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null);
  const plainHttp = kind === 'server' && sendsInClear(baseUrl);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  /** Where the account lives, as typed so far: the same for a sign-in and for the account. */
  const target = () => ({
    kind,
    ...(kind === 'server'
      ? {
          baseUrl,
          ...(ca ? { caCertificatePem: ca.pem } : {}),
          ...(plainHttp && allowInsecureHttp ? { allowInsecureHttp } : {}),
        }
      : {}),
  });

  async function submit(event?: FormEvent<HTMLFormElement>, viaSignIn = signedIn) {
    event?.preventDefault();
    if (checking) return;
    setChecking(true);
    setError(null);
    try {
      await addAccount({
        ...target(),
        ...(viaSignIn ? { signInId: viaSignIn.signInId } : { credential, ownCredential }),
        label: label.trim() || undefined,
        ...(kind === 'server' ? {} : { organization: organization.trim() }),
      });
      setCredential('');
      onClose();
    } catch (failure) {
      setError(errorMessage(failure));
      setChecking(false);
    }
  }

  function cancel() {
    if (checking) return;
    setCredential('');
    onClose();
  }

  function signedInNow(result: SignedIn) {
    setSignedIn(result);
    if (kind === 'server') return void submit(undefined, result);
    // Cloud: the organization is picked from the user's, then "Add account".
    const first = result.organizations?.[0];
    if (first && !organization) setOrganization(first.key);
  }

  return (
    <Modal title="Add account" onEscape={cancel}>
      {/* noValidate: the core's messages are the ones shown, not the browser's bubbles. */}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-busy={checking}>
        <Field id={`${id}-kind`} label="Account type">
          <select
            id={`${id}-kind`}
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as AccountKind);
              setSignedIn(null); // a sign-in belongs to one server
            }}
          >
            {ACCOUNT_KIND_ORDER.map((k) => (
              <option key={k} value={k}>
                {ACCOUNT_KIND_NAMES[k]}
              </option>
            ))}
          </select>
        </Field>

        {kind === 'server' && (
          <Field id={`${id}-url`} label="Server URL" hint="For example https://sonarqube.example.com">
            <input
              id={`${id}-url`}
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
              inputMode="url"
              required
              autoComplete="off"
              spellCheck={false}
              aria-describedby={`${id}-url-hint`}
            />
          </Field>
        )}

        {plainHttp && (
          <div className="warning consent" role="group" aria-label="Plain http">
            <p>
              <strong>Unencrypted.</strong> With http:// your token travels in clear text: anyone on the
              network between you and the server can read it and sign in as you. Use https:// if the server
              offers it.
            </p>
            <Checkbox checked={allowInsecureHttp} onChange={setAllowInsecureHttp} disabled={checking}>
              Send my token to this server over plain http anyway
            </Checkbox>
          </div>
        )}

        {signedIn ? (
          <p className="signed-in" role="status">
            Signed in through your browser as <strong>{signedIn.userName}</strong> ({signedIn.login}). The
            vault keeps the token SonarQube made for it
            {kind === 'server' ? ', and renews it before it expires.' : ': its own use keeps it alive.'}
          </p>
        ) : (
          <div className="sign-in-choice">
            <BrowserSignIn
              target={target}
              disabled={checking || (kind === 'server' && !baseUrl.trim())}
              onSignedIn={signedInNow}
              onError={(message) => setError(message || null)}
            />
            <p className="muted meta-small sign-in-hint">
              SonarQube Server 9.7+ and Cloud: allow the vault in your browser, no copying. Or paste a token
              below.
            </p>
          </div>
        )}

        {/* The token comes before the organization: on Cloud it finds the organizations to pick. */}
        {!signedIn && (
          <>
            <Field
              id={`${id}-token`}
              label="Token"
              hint="Your own SonarQube token, for the vault to work with. It is stored only in your OS keychain, never in a file."
            >
              <input
                id={`${id}-token`}
                type="password"
                className="mono"
                value={credential}
                onChange={(e) => setCredential(e.target.value)}
                autoComplete="off"
                spellCheck={false}
                aria-describedby={`${id}-token-hint`}
              />
            </Field>
            <Checkbox checked={ownCredential} onChange={setOwnCredential} disabled={checking}>
              Let the vault make a credential of its own from this one, and renew it before it expires
            </Checkbox>
          </>
        )}

        {kind !== 'server' && (
          <OrganizationField
            key={`${kind}-${signedIn?.signInId ?? 'pasted'}`}
            id={`${id}-org`}
            kind={kind}
            credential={credential}
            known={signedIn?.organizations ?? undefined}
            value={organization}
            onChange={setOrganization}
            disabled={checking}
          />
        )}

        <Field id={`${id}-label`} label="Label" hint="Optional. Defaults to the organization or host.">
          <input
            id={`${id}-label`}
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            maxLength={100}
            autoComplete="off"
            aria-describedby={`${id}-label-hint`}
          />
        </Field>

        {kind === 'server' && (
          <CaCertificateField id={`${id}-ca`} value={ca} onChange={setCa} disabled={checking} />
        )}

        <FormFooter
          error={error}
          busy={checking}
          onCancel={cancel}
          submitLabel="Add account"
          busyLabel="Checking…"
        />
      </form>
    </Modal>
  );
}

/**
 * Whether a typed Server URL would carry the token unencrypted off this computer: the core asks
 * for consent in exactly that case (http to a host that is not loopback), and decides.
 */
function sendsInClear(typed: string): boolean {
  let url: URL;
  try {
    url = new URL(typed.trim());
  } catch {
    return false;
  }
  const host = url.hostname;
  const loopback =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '[::1]';
  return url.protocol === 'http:' && !loopback;
}
