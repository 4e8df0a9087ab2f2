/**
 * The data file decides nothing unchecked: accounts whose stored entry was changed (pointed at
 * another host, http without consent, a CA that does not parse) are set aside when the vault
 * starts, and their credential is never sent. Plain http to another computer needs the user's
 * consent, recorded with the account. Values shown once are copied through the core, and only
 * while their panel may show them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fetch } from '@core/ports';
import { FILE_NAME } from '@core/storage/metadata-store';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const MINUTE = 60_000;

/** A host name that is not loopback, reached at the test server (tests bind 127.0.0.1 only). */
const REMOTE = 'sonar.intranet.test';
const throughRemote: Fetch = (input, init) =>
  fetch(input.replace(`http://${REMOTE}:`, 'http://127.0.0.1:'), init);

describe('stored accounts and plain http', () => {
  let server: TestServer;
  let cloud: TestServer;
  let elsewhere: TestServer;
  let credential: string;
  let cloudCredential: string;

  beforeAll(async () => {
    server = await startSonarQubeServer({ flavour: 'server', users: [{ login: 'grace', name: 'Grace' }] });
    cloud = await startSonarQubeServer({
      flavour: 'cloud',
      organizations: [{ key: 'acme', name: 'ACME' }],
      users: [{ login: 'ada', name: 'Ada', organizations: ['acme'] }],
    });
    // Where a tampered entry points: it must never hear from the vault.
    elsewhere = await startSonarQubeServer({ flavour: 'server', users: [{ login: 'mallory', name: 'M' }] });
    credential = server.addToken('grace', { name: 'vault', createdAt: new Date() });
    cloudCredential = cloud.addToken('ada', { name: 'vault', createdAt: new Date() });
  });
  afterAll(() => Promise.all([server.close(), cloud.close(), elsewhere.close()]));

  const cloudHosts = () => ({ 'cloud-eu': cloud.url, 'cloud-us': cloud.url });

  it('plain http to another computer is refused without consent, and kept with it', async () => {
    const vault = await coreFixture({ fetch: throughRemote });
    const baseUrl = server.url.replace('127.0.0.1', REMOTE);
    await expect(vault.call('accounts.add', { kind: 'server', baseUrl, credential })).rejects.toThrow(
      `would send your token unencrypted to ${REMOTE}`,
    );
    expect(server.requests).toEqual([]); // refused before any request carried the token
    const added = await vault.call('accounts.add', {
      kind: 'server',
      baseUrl,
      credential,
      allowInsecureHttp: true,
      ownCredential: false,
    });
    expect(added).toMatchObject({ baseUrl, insecureHttp: true });

    // The consent is part of the account: a restart keeps it in use.
    const restarted = await coreFixture({
      dataDir: vault.dataDir,
      secrets: vault.secrets,
      fetch: throughRemote,
    });
    expect((await restarted.call('app.status', {})).setAside).toEqual([]);
    expect(await restarted.call('accounts.list', {})).toHaveLength(1);
  });

  it('loopback http needs no consent, and is not marked', async () => {
    const vault = await coreFixture();
    expect(
      await vault.call('accounts.add', {
        kind: 'server',
        baseUrl: server.url,
        credential,
        ownCredential: false,
      }),
    ).toMatchObject({
      insecureHttp: false,
    });
  });

  describe('an entry changed outside the vault', () => {
    let vault: CoreFixture;
    let ids: { cloud: string; server: string; remote: string };

    beforeAll(async () => {
      vault = await coreFixture({ cloudHosts: cloudHosts(), fetch: throughRemote });
      const remoteUrl = server.url.replace('127.0.0.1', REMOTE);
      ids = {
        cloud: (
          await vault.call('accounts.add', {
            kind: 'cloud-eu',
            organization: 'acme',
            credential: cloudCredential,
            ownCredential: false,
          })
        ).id,
        server: (
          await vault.call('accounts.add', {
            kind: 'server',
            baseUrl: server.url,
            credential,
            ownCredential: false,
          })
        ).id,
        remote: (
          await vault.call('accounts.add', {
            kind: 'server',
            baseUrl: remoteUrl,
            credential,
            allowInsecureHttp: true,
            ownCredential: false,
          })
        ).id,
      };
    });

    it('is set aside when the vault starts, reported, and its credential sent nowhere', async () => {
      const file = join(vault.dataDir, FILE_NAME);
      const data = JSON.parse(await readFile(file, 'utf8')) as {
        accounts: { id: string; baseUrl: string; insecureHttp?: boolean; caCertificatePem?: string }[];
      };
      const entry = (id: string) => data.accounts.find((a) => a.id === id)!;
      entry(ids.cloud).baseUrl = elsewhere.url; // a Cloud account pointed at another host
      entry(ids.server).caCertificatePem = '-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----';
      delete entry(ids.remote).insecureHttp; // the consent removed
      await writeFile(file, JSON.stringify(data));

      const restarted = await coreFixture({
        dataDir: vault.dataDir,
        secrets: vault.secrets,
        cloudHosts: cloudHosts(),
        fetch: throughRemote,
      });
      const { setAside } = await restarted.call('app.status', {});
      const reasons = new Map(setAside.map((a) => [a.id, a.reason]));
      expect(reasons.get(ids.cloud)).toBe(
        `its address ${elsewhere.url} is not its SonarQube Cloud region's (${cloud.url}).`,
      );
      expect(reasons.get(ids.server)).toBe('its CA certificate does not parse.');
      expect(reasons.get(ids.remote)).toMatch(/^http:\/\/ would send your token unencrypted/);
      expect(await restarted.call('accounts.list', {})).toEqual([]);
      await restarted.call('tokens.refreshAll', {});
      await expect(restarted.call('tokens.list', { accountId: ids.cloud })).rejects.toThrow();
      expect(elsewhere.requests).toEqual([]);

      // Removing one forgets it and its keychain entry; the others stay set aside.
      await restarted.call('accounts.remove', { accountId: ids.cloud });
      expect((await restarted.call('app.status', {})).setAside.map((a) => a.id)).toEqual([
        ids.server,
        ids.remote,
      ]);
      expect(await vault.secrets.get(`account/${ids.cloud}/credential`)).toBeNull();
    });
  });
});

describe('values shown once', () => {
  let server: TestServer;
  let vault: CoreFixture;
  let accountId: string;

  beforeAll(async () => {
    server = await startSonarQubeServer({
      flavour: 'server',
      users: [
        { login: 'grace', name: 'Grace', admin: true },
        { login: 'alan', name: 'Alan' },
      ],
    });
    const credential = server.addToken('grace', { name: 'vault', createdAt: new Date() });
    vault = await coreFixture({ now: server.clock.now() });
    accountId = (
      await vault.call('accounts.add', {
        kind: 'server',
        baseUrl: server.url,
        credential,
        ownCredential: false,
      })
    ).id;
  });
  afterAll(() => server.close());

  const generate = (name: string, login?: string) =>
    vault.call('tokens.generate', { accountId, name, type: 'USER_TOKEN', expirationDate: null, login });

  it('are copied through the core while their panel may show them, then no more', async () => {
    await vault.call('settings.update', { onceValueMs: 2 * MINUTE, clipboardClearMs: 30_000 });
    const { value, onceId } = await generate('once-a');
    expect(await vault.call('tokens.copyOnce', { onceId })).toEqual({ clearAfterMs: 30_000 });
    expect(vault.clipboard.text).toBe(value);
    await vault.clock.advance(30_000);
    expect(vault.clipboard.text).toBe(''); // cleared like any copy

    await vault.clock.advance(2 * MINUTE);
    await expect(vault.call('tokens.copyOnce', { onceId })).rejects.toMatchObject({ code: 'not-in-vault' });
  });

  it('another user’s value (never kept) is copied the same way', async () => {
    const { value, onceId, stored } = await generate('for-alan', 'alan');
    expect(stored).toBe(false);
    await vault.call('tokens.copyOnce', { onceId });
    expect(vault.clipboard.text).toBe(value);
  });

  it('are dropped when the window hides, and the renderer is told', async () => {
    const { onceId } = await generate('once-b');
    vault.core.windowHidden();
    expect(vault.events.at(-1)).toEqual({ event: 'window.hidden', payload: {} });
    await expect(vault.call('tokens.copyOnce', { onceId })).rejects.toMatchObject({ code: 'not-in-vault' });
  });

  it('a handle that was never given out is refused like an expired one', async () => {
    await expect(vault.call('tokens.copyOnce', { onceId: 'A'.repeat(32) })).rejects.toMatchObject({
      code: 'not-in-vault',
    });
    await expect(vault.call('tokens.copyOnce', { onceId: '../x' })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });
});
