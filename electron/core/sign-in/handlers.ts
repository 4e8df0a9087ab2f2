/** Browser sign-in's calls: start, wait for SonarQube's hand-off, cancel. */
import type { HandlerSlice } from '@core/ipc/dispatch';
import type { BrowserSignIn } from './browser-sign-in';

export function signInHandlers(
  signIn: BrowserSignIn,
): HandlerSlice<'accounts.signIn' | 'accounts.signInResult' | 'accounts.signInCancel'> {
  return {
    'accounts.signIn': (input) => signIn.start(input),
    'accounts.signInResult': ({ signInId }) => signIn.result(signInId),
    'accounts.signInCancel': ({ signInId }) => {
      signIn.cancel(signInId);
      return Promise.resolve({});
    },
  };
}
