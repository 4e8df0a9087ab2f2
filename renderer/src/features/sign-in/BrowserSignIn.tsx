import { useEffect, useRef, useState } from 'react';
import type { CallInput, CallOutput } from '@contract';
import { errorMessage } from '@renderer/error-message';
import { formatTimeLeft } from '@renderer/format';
import { useTimeLeftNow } from '@renderer/store/clock';
import { call } from '@renderer/vault-client';

export type SignedIn = CallOutput<'accounts.signInResult'> & { signInId: string };

interface BrowserSignInProps {
  /** Where to sign in, read when the button is pressed. */
  target: () => CallInput<'accounts.signIn'>;
  disabled?: boolean;
  onSignedIn: (signedIn: SignedIn) => void;
  onError: (message: string) => void;
}

type Waiting = CallOutput<'accounts.signIn'>;

/**
 * "Sign in with your browser": the core opens SonarQube's page in the browser and waits for the
 * token the user allows there; meanwhile this says so, counts down and offers Cancel. Leaving the
 * dialog cancels the sign-in (the core stops listening).
 */
export function BrowserSignIn({ target, disabled, onSignedIn, onError }: BrowserSignInProps) {
  const [waiting, setWaiting] = useState<Waiting | null>(null);
  const now = useTimeLeftNow(waiting?.expiresAt ?? null);
  const current = useRef<string | null>(null);

  useEffect(
    () => () => {
      if (current.current)
        void call('accounts.signInCancel', { signInId: current.current }).catch(() => undefined);
    },
    [],
  );

  async function start() {
    onError('');
    try {
      const started = await call('accounts.signIn', target());
      current.current = started.signInId;
      setWaiting(started);
      const result = await call('accounts.signInResult', { signInId: started.signInId });
      current.current = null;
      onSignedIn({ ...result, signInId: started.signInId });
    } catch (failure) {
      current.current = null;
      onError(errorMessage(failure));
    } finally {
      setWaiting(null);
    }
  }

  function cancel() {
    if (current.current)
      void call('accounts.signInCancel', { signInId: current.current }).catch(() => undefined);
  }

  if (!waiting) {
    return (
      <button type="button" className="button primary" onClick={() => void start()} disabled={disabled}>
        Sign in with your browser
      </button>
    );
  }
  return (
    <div className="sign-in-waiting" role="status">
      <p>
        <strong>Finish in your browser.</strong> SonarQube asks you there to allow Token Vault; the vault
        waits {formatTimeLeft(waiting.expiresAt - now)} more.
      </p>
      <p className="muted meta-small">
        No page opened? Open this address in the browser you use for SonarQube:{' '}
        <code className="sign-in-url">{waiting.url}</code>
      </p>
      <button type="button" className="button small" onClick={cancel}>
        Cancel sign-in
      </button>
    </div>
  );
}
