/**
 * The administrator's calls against something posing as SonarQube: whatever the user search or a
 * user's token list answers, no token-shaped value it carries reaches an answer, an event (the
 * overview's failed users and progress included) or the disk, and every call ends as data.
 */
import { rm } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@contract';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startFaultServer, type FaultServer } from '../support/fault-server';
import { hostileAnswer, serveAnswer, type HostileAnswer } from '../support/hostile-answers';
import { leakedPart } from '../support/token-values';

const CREDENTIAL = `squ_${'c'.repeat(40)}`;

/** Enough SonarQube to add an administrator's account, and a user search listing two users. */
const SETUP: Readonly<Record<string, string>> = {
  '/api/server/version': '10.7.0.96327',
  '/api/users/current':
    '{"isLoggedIn":true,"login":"grace","name":"Grace","permissions":{"global":["admin"]}}',
  '/api/navigation/global': '{"edition":"enterprise"}',
  '/api/user_tokens/search': '{"login":"grace","userTokens":[]}',
  '/api/users/search':
    '{"paging":{"pageIndex":1,"pageSize":500,"total":2},"users":[{"login":"alan","name":"Alan","active":true,"tokensCount":1},{"login":"ada","name":"Ada","active":true,"tokensCount":2}]}',
};

describe("an administrator's calls meet hostile answers", () => {
  let answer: HostileAnswer | null = null;
  /** Which paths meet `answer`; the rest get SETUP's. */
  let hostilePaths: readonly string[] = [];
  let server: FaultServer;
  let vault: CoreFixture;
  let accountId: string;

  beforeAll(async () => {
    server = await startFaultServer((request, response) => {
      request.resume();
      const path = (request.url ?? '').split('?')[0] ?? '';
      if (answer && hostilePaths.includes(path)) return serveAnswer(answer, response);
      response
        .writeHead(SETUP[path] ? 200 : 404, { 'Content-Type': 'application/json' })
        .end(SETUP[path] ?? '');
    });
    vault = await coreFixture();
    accountId = (
      await vault.call('accounts.add', { kind: 'server', baseUrl: server.url, credential: CREDENTIAL })
    ).id;
  });
  afterAll(async () => {
    vault.core.stop();
    await Promise.all([server.close(), rm(vault.dataDir, { recursive: true, force: true })]);
  });
  afterEach(() => {
    answer = null;
  });

  it('no answer, event or file quotes a value; every call ends as data', async () => {
    const cases = [
      ['users.search', ['/api/users/search']],
      ['admin.overview', ['/api/users/search']],
      // The user search answers; each user's token list is the hostile one.
      ['admin.overview', ['/api/user_tokens/search']],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        hostileAnswer({ prompt: true }),
        fc.constantFrom(...cases),
        async (generated, [call, paths]) => {
          answer = generated;
          hostilePaths = paths;
          const events = vault.events.length;
          const input = call === 'users.search' ? { accountId, query: 'al' } : { accountId };
          const envelope = await vault.core.dispatch(call, input);
          if (envelope.ok) {
            expect(leakedPart(JSON.stringify(envelope.value), generated.value)).toBeNull();
          } else {
            expect(ERROR_CODES).toContain(envelope.error.code);
            expect(leakedPart(envelope.error.message, generated.value)).toBeNull();
          }
          expect(leakedPart(JSON.stringify(vault.events.slice(events)), generated.value)).toBeNull();
        },
      ),
      { numRuns: 150 },
    );
    expect(leakedPart(await vault.everythingOnDisk(), CREDENTIAL)).toBeNull();
  });
});
