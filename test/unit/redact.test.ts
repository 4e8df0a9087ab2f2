/**
 * The one sanitizer, and each door it guards that can be driven alone: the file logger, the
 * dispatch's error envelopes, the notifier the core is given, the keychain's native errors.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VaultError } from '@core/errors';
import { createFileLogger } from '@core/file-logger';
import { createDispatch, type Handlers } from '@core/ipc/dispatch';
import type { Logger } from '@core/ports';
import { REDACTED, redact, redactingNotifier } from '@core/redact';
import { KeytarSecretStore, type Keytar } from '@core/storage/keytar-store';

const hex = () => randomBytes(20).toString('hex');
/** One of each shape: the three Server prefixes (any case) and a bare Cloud value. */
const SHAPED = [`squ_${hex()}`, `SQA_${hex().toUpperCase()}`, `sqp_${hex()}`, hex()] as const;
const QUOTED = `refused ${SHAPED.join(', ')}.`;
const CLEAN = `refused ${Array(SHAPED.length).fill(REDACTED).join(', ')}.`;
const quietLog: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** No 40-hex run, whatever its case or prefix, is left. */
function expectNoValue(text: string): void {
  expect(text).not.toMatch(/[0-9a-f]{40}/i);
}

describe('redact', () => {
  it('replaces every token-shaped value with the marker, and nothing else', () => {
    expect(redact(QUOTED)).toBe(CLEAN);
    expect(redact(`Bearer ${SHAPED[3]}`)).toBe(`Bearer ${REDACTED}`);
    expect(redact(`x${SHAPED[0]}y`)).toBe(`x${REDACTED}y`);
    // A longer hex run goes whole (a value glued to other hex).
    expect(redact(`${hex()}${hex()}`)).toBe(REDACTED);
    const ordinary =
      'Account 3f2b9c1e-8d4a-4b6f-9e2d-7a1c5b3e9f00 on sq.example.com: ci-main expires 2026-12-01 (deadbeef, squ_short).';
    expect(redact(ordinary)).toBe(ordinary);
  });

  it('leaves no value in any text around it (property)', () => {
    const value = fc.oneof(
      fc.tuple(
        fc.constantFrom('squ_', 'sqa_', 'sqp_', 'SQU_', 'Sqp_', ''),
        fc.stringMatching(/^[0-9a-fA-F]{40}$/),
      ),
    );
    fc.assert(
      fc.property(fc.string(), value, fc.string(), (before, [prefix, digits], after) => {
        const clean = redact(`${before}${prefix}${digits}${after}`);
        expect(clean).not.toContain(digits);
        expect(clean).toContain(REDACTED);
      }),
    );
  });
});

describe('the doors it guards', () => {
  it('the file logger sanitizes the message and every string field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vault-log-'));
    const log = createFileLogger(dir);
    log.error(QUOTED, { reason: QUOTED, count: 4, ok: false });
    const line = JSON.parse(await readFile(log.path, 'utf8')) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'error', message: CLEAN, reason: CLEAN, count: 4, ok: false });
    expectNoValue(await readFile(log.path, 'utf8'));
  });

  it("the dispatch's error envelopes: a handler's error, and an invalid payload's keys", async () => {
    const handlers = {
      'accounts.list': () => Promise.reject(new VaultError('rejected', QUOTED)),
    } as unknown as Handlers;
    const dispatch = createDispatch(handlers, quietLog);
    expect(await dispatch('accounts.list', {})).toEqual({
      ok: false,
      error: { code: 'rejected', message: CLEAN },
    });
    const invalid = await dispatch('accounts.list', { [SHAPED[0]]: true });
    expect(invalid.ok).toBe(false);
    expectNoValue(JSON.stringify(invalid));
  });

  it('the notifier the core wraps', () => {
    const sent: { title: string; body: string }[] = [];
    const onClick = () => undefined;
    redactingNotifier({ notify: (note) => void sent.push(note) }).notify({
      title: QUOTED,
      body: QUOTED,
      onClick,
    });
    expect(sent).toEqual([{ title: CLEAN, body: CLEAN, onClick }]);
  });

  it("the keychain's native error, quoted in the keychain-unavailable message", async () => {
    const failing = () => Promise.reject(new Error(QUOTED));
    const keytar = {
      getPassword: failing,
      setPassword: failing,
      deletePassword: failing,
    } as unknown as Keytar;
    const store = new KeytarSecretStore('test', { load: () => keytar });
    const error = (await store.set('token/a/b', 'squ_x').catch((e: unknown) => e)) as VaultError;
    expect(error).toMatchObject({ code: 'keychain-unavailable' });
    expect(error.message).toContain(`(${CLEAN})`);
    expectNoValue(error.message);
  });
});
