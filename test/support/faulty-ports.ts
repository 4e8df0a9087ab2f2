/**
 * A keychain and a network that stop at one chosen call: to interrupt a multi-step operation at
 * each of its steps. 'crash' never answers (the process died there: nothing after it runs, and a
 * new core on the same data folder and keychain takes over); 'fail' answers with an error (the
 * keychain refused, the network dropped). 'before': the call never happened; 'after': it did
 * (the value was written, the server acted), and only its answer is lost.
 */
import type { Fetch, SecretStore } from '@core/ports';

export type Stop = 'crash' | 'fail';
export type When = 'before' | 'after';

interface Armed<Call> {
  readonly matches: (call: Call) => boolean;
  readonly when: When;
  readonly stop: Stop;
  /** Resolves when the call was stopped. */
  readonly hit: Promise<void>;
  readonly onHit: () => void;
}

function arm<Call>(matches: (call: Call) => boolean, when: When, stop: Stop): Armed<Call> {
  let onHit = () => undefined as void;
  const hit = new Promise<void>((resolve) => (onHit = resolve));
  return { matches, when, stop, hit, onHit };
}

const never = <T>() => new Promise<T>(() => undefined);

/** Resolves (at once) unless armed for `call`: then runs it or not, and never resolves, or throws. */
async function stopping<Call>(
  armed: Armed<Call> | null,
  call: Call,
  perform: () => Promise<unknown>,
  failure: () => Error,
): Promise<void> {
  if (!armed?.matches(call)) return;
  if (armed.when === 'after') await perform();
  armed.onHit();
  if (armed.stop === 'crash') return never<void>();
  throw failure();
}

type KeychainCall = { op: 'get' | 'set' | 'delete'; key: string };

/** A keychain over `inner` (which outlives it, as the OS keychain outlives the app). */
export class FaultyKeychain implements SecretStore {
  private armed: Armed<KeychainCall> | null = null;

  constructor(readonly inner: SecretStore) {}

  /** Stops the next `op` on a key matching `key`; every later call too, while armed. */
  stopAt(op: KeychainCall['op'], key: RegExp, when: When, stop: Stop): Promise<void> {
    this.armed = arm((c) => c.op === op && key.test(c.key), when, stop);
    return this.armed.hit;
  }

  disarm(): void {
    this.armed = null;
  }

  get(key: string): Promise<string | null> {
    return this.run({ op: 'get', key }, () => this.inner.get(key));
  }

  set(key: string, value: string): Promise<void> {
    return this.run({ op: 'set', key }, () => this.inner.set(key, value));
  }

  delete(key: string): Promise<boolean> {
    return this.run({ op: 'delete', key }, () => this.inner.delete(key));
  }

  keys(): Promise<string[]> {
    return this.inner.keys();
  }

  private async run<T>(call: KeychainCall, perform: () => Promise<T>): Promise<T> {
    await stopping(this.armed, call, perform, () => new Error('The keychain refused.'));
    return perform();
  }
}

type FetchCall = { method: string; path: string };

/** The network to the test servers, stopping at the requests on one path. */
export class FaultyNetwork {
  private armed: Armed<FetchCall> | null = null;

  /** Stops the next request on `path` (method `method`); every later one too, while armed. */
  stopAt(method: string, path: string, when: When, stop: Stop): Promise<void> {
    this.armed = arm((c) => c.method === method && c.path.endsWith(path), when, stop);
    return this.armed.hit;
  }

  disarm(): void {
    this.armed = null;
  }

  readonly fetch: Fetch = async (input, init) => {
    const call = { method: init?.method ?? 'GET', path: new URL(input).pathname };
    const perform = () => fetch(input, init);
    // Refused outright (a permanent cause), so that reads are not retried after real waits.
    const dropped = () =>
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    await stopping(this.armed, call, perform, dropped);
    return perform();
  };
}
