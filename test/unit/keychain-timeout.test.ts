/**
 * The keytar store gives up on a keychain that does not answer (a locked keychain whose prompt
 * nobody answers), driven with a stand-in keytar module: 15 s by default, injectable, and a call
 * given up on still reports whether it completed later.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeytarSecretStore, type Keytar } from '@core/storage/keytar-store';
import { KeychainTimeout } from '@core/storage/time-limit';

const never = () => new Promise<never>(() => undefined);
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

/** A keytar whose every call is answered by `answer`. */
function keytarAnswering(answer: () => Promise<unknown>): Keytar {
  return {
    getPassword: answer,
    setPassword: answer,
    deletePassword: answer,
    findCredentials: answer,
  } as unknown as Keytar;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('keytar store time limit', () => {
  it('fails after 15 s by default, saying the keychain may be locked', async () => {
    vi.useFakeTimers();
    const store = new KeytarSecretStore('test', { load: () => keytarAnswering(never) });
    const copy = store.get('token/a/ci').catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(14_999);
    let settled = false;
    void copy.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await copy;
    expect(error).toBeInstanceOf(KeychainTimeout);
    expect(error).toMatchObject({
      code: 'keychain-unavailable',
      message: 'The keychain did not answer in 15 s; is it locked? Unlock it and try again.',
    });
  });

  it.each([
    ['get', (s: KeytarSecretStore) => s.get('k')],
    ['set', (s: KeytarSecretStore) => s.set('k', 'squ_x')],
    ['delete', (s: KeytarSecretStore) => s.delete('k')],
    ['keys', (s: KeytarSecretStore) => s.keys()],
  ])('%s never answered: fails after the injected time', async (_call, run) => {
    const store = new KeytarSecretStore('test', { timeoutMs: 20, load: () => keytarAnswering(never) });
    const started = Date.now();
    await expect(run(store)).rejects.toMatchObject({
      code: 'keychain-unavailable',
      message: 'The keychain did not answer in 20 ms; is it locked? Unlock it and try again.',
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a call answered after the time limit: refused in time, and `landed` says it completed', async () => {
    const store = new KeytarSecretStore('test', {
      timeoutMs: 20,
      load: () => keytarAnswering(() => after(80, undefined)),
    });
    const error = await store.set('k', 'squ_x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeychainTimeout);
    expect(await (error as KeychainTimeout).landed).toBe(true);
  });

  it('a call that fails after the time limit lands as false, and raises no unhandled rejection', async () => {
    const late = () => after(40, null).then(() => Promise.reject(new Error('daemon gone')));
    const store = new KeytarSecretStore('test', { timeoutMs: 10, load: () => keytarAnswering(late) });
    const error = (await store.get('k').catch((e: unknown) => e)) as KeychainTimeout;
    expect(await error.landed).toBe(false);
  });

  it('answers in time as before; a refusal is still the keychain-unavailable error', async () => {
    const answering = new KeytarSecretStore('test', {
      timeoutMs: 50,
      load: () => keytarAnswering(() => Promise.resolve('squ_value')),
    });
    expect(await answering.get('k')).toBe('squ_value');
    const refusing = new KeytarSecretStore('test', {
      timeoutMs: 50,
      load: () => keytarAnswering(() => Promise.reject(new Error('Cannot autolaunch D-Bus'))),
    });
    await expect(refusing.get('k')).rejects.toMatchObject({
      code: 'keychain-unavailable',
      message: expect.stringMatching(
        /^The OS keychain is not available \(Cannot autolaunch D-Bus\)/,
      ) as unknown,
    });
  });
});
