/**
 * The history of uses through the real dispatch: every copy (from the window by default, or the
 * tray) and reveal of a held value is recorded with its time and where it came from, never the
 * value; a token answers its last 50, newest first; the journal is compacted at start once past
 * its size. And the vault records how it came to hold each value: generated here, or imported.
 */
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPACT_PAST_BYTES, HISTORY_FILE, HISTORY_PER_TOKEN } from '@core/history/journal';
import { coreFixture, type CoreFixture } from '../support/core-fixture';
import { startSonarQubeServer, type TestServer } from '../support/sonarqube-server';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 9, 0);
const MINUTE = 60_000;

describe('the history of uses', () => {
  let server: TestServer;
  let vault: CoreFixture;
  let accountId: string;
  const values: string[] = [];

  beforeAll(async () => {
    server = await startSonarQubeServer({
      flavour: 'server',
      now: NOW,
      users: [{ login: 'grace', name: 'Grace' }],
    });
    const credential = server.addToken('grace', { name: 'vault', createdAt: new Date(NOW - DAY) });
    values.push(credential, server.addToken('grace', { name: 'laptop', createdAt: new Date(NOW - DAY) }));
    server.addToken('grace', { name: 'old', createdAt: new Date(NOW - DAY) });
    vault = await coreFixture({ now: NOW });
    accountId = (
      await vault.call('accounts.add', {
        kind: 'server',
        baseUrl: server.url,
        credential,
        ownCredential: false,
      })
    ).id;
    const generated = await vault.call('tokens.generate', {
      accountId,
      name: 'ci',
      type: 'USER_TOKEN',
      expirationDate: null,
    });
    values.push(generated.value);
    await vault.call('tokens.import', { accountId, name: 'laptop', value: values[1]! });
  });
  afterAll(() => server.close());

  const ci = () => ({ accountId, name: 'ci' });

  it('records each copy and reveal: when, what, from where, newest first', async () => {
    vault.events.length = 0;
    await vault.call('tokens.copy', ci());
    await vault.clock.advance(MINUTE);
    await vault.call('tokens.copy', { ...ci(), via: 'tray' });
    await vault.clock.advance(MINUTE);
    await vault.call('tokens.reveal', ci());
    expect(await vault.call('tokens.history', ci())).toEqual([
      { at: NOW + 2 * MINUTE, action: 'reveal', via: 'window' },
      { at: NOW + MINUTE, action: 'copy', via: 'tray' },
      { at: NOW, action: 'copy', via: 'window' },
    ]);
    // The renderer hears of each, to show the history it has open.
    expect(vault.events.filter((e) => e.event === 'tokens.historyChanged').map((e) => e.payload)).toEqual([
      ci(),
      ci(),
      ci(),
    ]);
    expect(await vault.call('tokens.history', { accountId, name: 'laptop' })).toEqual([]);
  });

  it('a copy refused records nothing; a place that is not one is refused', async () => {
    const before = await vault.call('tokens.history', { accountId, name: 'old' });
    await expect(vault.call('tokens.copy', { accountId, name: 'old' })).rejects.toMatchObject({
      code: 'not-in-vault',
    });
    await expect(vault.call('tokens.reveal', { accountId, name: 'old' })).rejects.toMatchObject({
      code: 'not-in-vault',
    });
    expect(await vault.call('tokens.history', { accountId, name: 'old' })).toEqual(before);
    await expect(vault.call('tokens.copy', { ...ci(), via: 'elsewhere' as never })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });

  it(`answers the last ${HISTORY_PER_TOKEN}`, async () => {
    const laptop = { accountId, name: 'laptop' };
    for (let i = 0; i < HISTORY_PER_TOKEN + 5; i++) {
      await vault.clock.advance(MINUTE);
      await vault.call('tokens.copy', laptop);
    }
    const uses = await vault.call('tokens.history', laptop);
    expect(uses).toHaveLength(HISTORY_PER_TOKEN);
    expect(uses[0]?.at).toBe(vault.clock.now());
  });

  it('a torn line in the journal costs that line only', async () => {
    await appendFile(join(vault.dataDir, HISTORY_FILE), '{"accountId":"');
    const before = (await vault.call('tokens.history', ci())).length;
    await vault.call('tokens.copy', ci());
    expect(await vault.call('tokens.history', ci())).toHaveLength(before + 1);
  });

  it('no value anywhere in the data folder, the journal included', async () => {
    const disk = await vault.everythingOnDisk();
    expect(disk).toContain('"action":"copy"');
    for (const value of values) expect(disk).not.toContain(value);
  });

  it('records how the vault came to hold each value: generated here, or imported', async () => {
    const { tokens } = await vault.call('tokens.list', { accountId });
    const origin = (name: string) => tokens.find((t) => t.name === name)?.origin;
    expect([origin('ci'), origin('laptop'), origin('old')]).toEqual(['generated', 'imported', undefined]);
    const held = JSON.parse(await readFile(join(vault.dataDir, 'vault.json'), 'utf8')) as {
      tokens: { name: string; origin?: string }[];
    };
    expect(held.tokens.map((t) => [t.name, t.origin])).toEqual([
      ['ci', 'generated'],
      ['laptop', 'imported'],
    ]);
    // All tokens shows it too (it reads the lists kept).
    const all = await vault.call('tokens.all', {});
    expect(all[0]?.tokens.find((t) => t.name === 'laptop')?.origin).toBe('imported');
  });

  it('a value held from before origins were kept has none', async () => {
    await vault.core.store.update((m) => {
      for (const t of m.tokens) delete t.origin;
    });
    const { tokens } = await vault.call('tokens.list', { accountId });
    expect(tokens.filter((t) => t.inVault).map((t) => t.origin)).toEqual([undefined, undefined]);
  });

  it('is compacted at start once past its size: the last uses of the tokens still held', async () => {
    await vault.call('tokens.forget', { accountId, name: 'laptop' });
    const path = join(vault.dataDir, HISTORY_FILE);
    const line = (name: string, at: number, account = accountId) =>
      `${JSON.stringify({ accountId: account, name, at, action: 'copy', via: 'cli' })}\n`;
    let text = '';
    for (let at = 1; text.length <= COMPACT_PAST_BYTES; at++) {
      text += line('ci', at) + line('laptop', at) + line('ci', at, 'account-gone-0000');
    }
    await writeFile(path, text);
    vault.core.stop();
    const restarted = await coreFixture({ now: NOW, dataDir: vault.dataDir, secrets: vault.secrets });
    await restarted.core.start();
    expect((await stat(path)).size).toBeLessThan(20_000);
    const uses = await restarted.call('tokens.history', ci());
    expect(uses).toHaveLength(HISTORY_PER_TOKEN);
    expect(uses.every((u) => u.via === 'cli')).toBe(true);
    expect(await restarted.call('tokens.history', { accountId, name: 'laptop' })).toEqual([]);
    expect(await restarted.call('tokens.history', { accountId: 'account-gone-0000', name: 'ci' })).toEqual(
      [],
    );
    restarted.core.stop();
  });
});
