/** A core wired to in-memory ports and a fake clock, for tests that drive it call by call. */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calls, type CallInput, type CallName, type CallOutput, type EventName } from '@contract';
import { createCore, type Core } from '@core/create-core';
import { createFileLogger } from '@core/file-logger';
import type { Fetch, Notifier, SecretStore } from '@core/ports';
import { MemorySecretStore } from '@core/storage/memory-store';
import type { CloudHosts } from '@core/sonarqube/regions';
import { FakeClock } from './fake-clock';
import { MemoryClipboard } from './memory-clipboard';

export interface CoreFixture {
  core: Core;
  clock: FakeClock;
  clipboard: MemoryClipboard;
  secrets: SecretStore;
  dataDir: string;
  events: { event: EventName; payload: unknown }[];
  /** Calls through the real dispatch; throws the envelope's error so tests read naturally,
   *  and checks every answer against the contract. */
  call: <K extends CallName>(name: K, input: CallInput<K>) => Promise<CallOutput<K>>;
  /** Every file under the data folder, concatenated: for "no secret on disk" checks. */
  everythingOnDisk(): Promise<string>;
}

export async function coreFixture(
  options: {
    cloudHosts?: CloudHosts;
    secrets?: SecretStore;
    now?: number;
    /** An existing vault's folder: a second core on it is the same vault after a restart. */
    dataDir?: string;
    /** The network as the vault sees it (default: Node's fetch). */
    fetch?: Fetch;
    /** "The user's browser" (browser sign-in). */
    openBrowser?: (url: string) => Promise<void>;
    /** This computer's name (the vault's own tokens are named after it). */
    computerName?: () => string;
    /** How often the core refreshes every account (a walk over months refreshes daily). */
    refreshEveryMs?: number;
    /** What the vault would show as desktop notifications. */
    notifier?: Notifier;
    /** How long a request may take (default 2 s; the app's is 15 s). */
    requestTimeoutMs?: number;
  } = {},
): Promise<CoreFixture> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'vault-core-')));
  const clock = new FakeClock(options.now ?? Date.now());
  const clipboard = new MemoryClipboard();
  const secrets = options.secrets ?? new MemorySecretStore();
  const core = createCore({
    dataDir,
    secrets,
    clipboard,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    openBrowser: options.openBrowser,
    computerName: options.computerName ?? (() => 'test-laptop'),
    refreshEveryMs: options.refreshEveryMs,
    notifier: options.notifier,
    clock,
    log: createFileLogger(join(dataDir, 'logs'), () => clock.now()),
    cloudHosts: options.cloudHosts,
    requestTimeoutMs: options.requestTimeoutMs ?? 2_000,
  });
  const events: CoreFixture['events'] = [];
  core.events.subscribe((event, payload) => events.push({ event, payload }));
  return {
    core,
    clock,
    clipboard,
    secrets,
    dataDir,
    events,
    async call(name, input) {
      const envelope = await core.dispatch(name, input);
      if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
      // Every answer must also honour the contract's output schema.
      return calls[name].output.parse(envelope.value) as never;
    },
    async everythingOnDisk() {
      const files = await readdir(dataDir, { recursive: true, withFileTypes: true });
      const texts = await Promise.all(
        files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'utf8')),
      );
      return texts.join('\n');
    },
  };
}
