/**
 * Sign in with the browser: the vault opens `<base>/sonarlint/auth?ideName=…&port=…` in the
 * user's browser and listens on the loopback port for the token SonarQube hands over once the
 * user allows it (loopback.ts). The token is checked with api/users/current before anything is
 * kept, then held in memory (sign-ins.ts) until 'accounts.add' takes it: no copy and paste, and
 * the token is the vault's own from the start.
 */
import { hostname } from 'node:os';
import type { CallArgs, CallOutput } from '@contract';
import { VaultError } from '@core/errors';
import { accountBaseUrl, isCloud } from '@core/sonarqube/regions';
import { SINCE, requireVersion } from '@core/sonarqube/versions';
import { refuseCloudHost } from '@core/accounts/hints';
import { clientFor, extraCa } from '@core/accounts/access';
import type { VaultContext } from '@core/context';
import { listenForToken, type Loopback } from './loopback';
import type { SignedIn } from './sign-ins';

export const IDE_NAME = 'Token Vault for SonarQube';
/** How long the browser has for the hand-off. */
export const SIGN_IN_WAIT_MS = 5 * 60_000;

interface Pending {
  readonly loopback: Loopback;
  readonly result: Promise<CallOutput<'accounts.signInResult'>>;
}

/** The one sign-in in progress (a new one ends the previous). */
export class BrowserSignIn {
  private pending = new Map<string, Pending>();

  constructor(
    private readonly ctx: VaultContext,
    private readonly openBrowser: (url: string) => Promise<void>,
    private readonly computerName: () => string = hostname,
  ) {}

  async start(input: CallArgs<'accounts.signIn'>): Promise<CallOutput<'accounts.signIn'>> {
    this.cancelAll();
    const baseUrl = accountBaseUrl(input.kind, input.baseUrl, this.ctx.cloudHosts, input.allowInsecureHttp);
    if (!isCloud(input.kind)) refuseCloudHost(this.ctx.cloudHosts, baseUrl);
    const caCertificatePem = extraCa(input);
    const serverVersion = await clientFor(this.ctx, { baseUrl, caCertificatePem }).version();
    requireVersion(
      { kind: input.kind, serverVersion, label: new URL(baseUrl).host },
      SINCE.browserSignIn,
      'Browser sign-in',
      'Paste a token instead.',
    );

    const loopback = await listenForToken({
      origin: new URL(baseUrl).origin,
      ideName: IDE_NAME,
      description: this.computerName(),
    });
    const signInId = this.ctx.signIns.newId();
    const timer = this.ctx.clock.setTimeout(
      () =>
        this.end(
          signInId,
          new VaultError('timeout', 'Nothing came back from the browser within 5 minutes: sign in again.'),
        ),
      SIGN_IN_WAIT_MS,
    );
    const result = loopback.handedOver
      .then(async (given) => {
        // Whoever POSTed it, the token must sign in on this server before it is kept.
        const client = clientFor(this.ctx, { baseUrl, caCertificatePem, serverVersion }, given.token);
        const user = await client.currentUser();
        const signedIn: SignedIn = {
          credential: given.token,
          kind: input.kind,
          baseUrl,
          login: user.login,
          userName: user.name,
          tokenName: given.name,
          expiresAt: given.expirationDate ? Date.parse(given.expirationDate) || null : undefined,
        };
        this.ctx.signIns.hold(signInId, signedIn);
        this.ctx.log.info('browser sign-in completed', { kind: input.kind });
        return {
          login: user.login,
          userName: user.name,
          organizations: isCloud(input.kind) ? await client.memberOrganizations() : null,
        };
      })
      .finally(() => {
        timer.cancel();
        this.pending.delete(signInId);
      });
    result.catch(() => undefined); // answered to whoever waits; nobody may
    this.pending.set(signInId, { loopback, result });

    const url = `${baseUrl}/sonarlint/auth?ideName=${encodeURIComponent(IDE_NAME)}&port=${loopback.port}`;
    this.ctx.log.info('browser sign-in started', { kind: input.kind, port: loopback.port });
    await this.openBrowser(url).catch(() => this.ctx.log.warn('browser did not open'));
    return { signInId, url, expiresAt: this.ctx.clock.now() + SIGN_IN_WAIT_MS };
  }

  /** Waits for the hand-off (and its check) of a sign-in started here. */
  result(signInId: string): Promise<CallOutput<'accounts.signInResult'>> {
    const pending = this.pending.get(signInId);
    if (!pending) throw new VaultError('invalid-input', 'That browser sign-in is over: sign in again.');
    return pending.result;
  }

  cancel(signInId: string): void {
    this.end(signInId, new VaultError('invalid-input', 'The browser sign-in was cancelled.'));
  }

  cancelAll(): void {
    for (const signInId of [...this.pending.keys()]) this.cancel(signInId);
  }

  private end(signInId: string, reason: VaultError): void {
    this.pending.get(signInId)?.loopback.close(reason);
  }
}
