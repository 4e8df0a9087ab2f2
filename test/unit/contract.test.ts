/** The boundary: whatever a compromised or buggy renderer sends, the core answers with data. */
import { describe, expect, it } from 'vitest';
import { calls, events } from '@contract';
import { coreFixture } from '../support/core-fixture';

const accountId = '2b8c1ac9-9a15-48ce-b274-72508ac4761f';

describe('contract boundary', () => {
  it('refuses calls the contract does not declare, including prototype keys', async () => {
    const { core } = await coreFixture();
    for (const name of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(await core.dispatch(name, {})).toEqual({
        ok: false,
        error: { code: 'invalid-input', message: 'Unknown call.' },
      });
    }
  });

  it.each([
    ['accounts.list', null, /expected object/i],
    ['accounts.list', { extra: 1 }, /Unrecognized key/],
    ['accounts.add', { kind: 'gitlab', credential: 'x' }, /kind/],
    ['accounts.add', { kind: 'server', credential: '   ' }, /A token is required/],
    ['accounts.add', { kind: 'server', credential: 'x', baseUrl: 'h'.repeat(3000) }, /baseUrl/],
    ['tokens.list', { accountId: '../../etc/passwd' }, /Not an account id/],
    ['tokens.copy', { accountId, name: '' }, /A token name is required/],
    ['tokens.copy', { accountId, name: 'n'.repeat(101) }, /at most 100 characters/],
    [
      'tokens.generate',
      { accountId, name: 'x', type: 'PROJECT_ANALYSIS_TOKEN', expirationDate: null },
      /needs a project/,
    ],
    [
      'tokens.generate',
      { accountId, name: 'x', type: 'USER_TOKEN', expirationDate: '31/12/2026' },
      /YYYY-MM-DD/,
    ],
    ['tokens.generate', { accountId, name: 'x', type: 'USER_TOKEN' }, /expirationDate/],
    ['app.forgetLeftovers', { keys: [] }, /Name the entries to forget/],
    ['app.forgetLeftovers', { keys: ['k'.repeat(1_001)] }, /keys/],
    ['app.forgetLeftovers', { keys: ['token/a/ci'], all: true }, /Unrecognized key/],
    [
      'tokens.reveal',
      JSON.parse(
        '{"accountId":"2b8c1ac9-9a15-48ce-b274-72508ac4761f","name":"x","__proto__":{"polluted":1}}',
      ),
      /Unrecognized key/,
    ],
  ])('%s with %j is refused as invalid input', async (name, payload, message) => {
    const { core } = await coreFixture();
    const envelope = await core.dispatch(name, payload);
    expect(envelope.ok).toBe(false);
    if (!envelope.ok) {
      expect(envelope.error.code).toBe('invalid-input');
      expect(envelope.error.message).toMatch(message);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a valid call on an unknown account says so, as data', async () => {
    const { core } = await coreFixture();
    expect(await core.dispatch('tokens.list', { accountId })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'That account is not in the vault.' },
    });
  });

  it('every call and event has a schema on both sides', () => {
    for (const call of Object.values(calls)) {
      expect(call.input).toHaveProperty('safeParse');
      expect(call.output).toHaveProperty('safeParse');
    }
    expect(Object.keys(events).sort()).toEqual([
      'accounts.changed',
      'admin.overviewChanged',
      'admin.progress',
      'clipboard.cleared',
      'delivery.changed',
      'leftovers.changed',
      'notification.clicked',
      'settings.changed',
      'tokens.changed',
      'tokens.historyChanged',
      'window.hidden',
    ]);
  });

  it('only generate, rotate and reveal outputs can carry a value', () => {
    const carriesValue = Object.entries(calls)
      .filter(([, c]) => JSON.stringify(c.output.toJSONSchema?.() ?? {}).includes('"value"'))
      .map(([name]) => name)
      .sort();
    expect(carriesValue).toEqual(['tokens.generate', 'tokens.reveal', 'tokens.rotate']);
  });
});

describe('settings', () => {
  it('an update changes only what it names', async () => {
    const { call } = await coreFixture();
    await call('settings.update', { clipboardClearMs: 10_000, quietHours: { start: '22:00', end: '07:00' } });
    const after = await call('settings.update', { launchAtLogin: true });
    expect(after).toMatchObject({
      clipboardClearMs: 10_000,
      quietHours: { start: '22:00', end: '07:00' },
      launchAtLogin: true,
    });
  });

  it('refuses thresholds out of order and unknown settings', async () => {
    const { core } = await coreFixture();
    expect(await core.dispatch('settings.update', { thresholdsMs: [3_600_000, 86_400_000] })).toMatchObject({
      ok: false,
      error: { message: /longest first/ },
    });
    expect(await core.dispatch('settings.update', { telemetry: true })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });
});
