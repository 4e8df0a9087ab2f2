/**
 * Ports: the services the core needs from its host. Electron implements them in electron/main;
 * tests and the preview bridge use in-memory ones. Nothing here imports 'electron'.
 */

/** The OS keychain. Values never leave it except through `get`. */
export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** The names of every entry (never a value): to find leftovers of interrupted writes. */
  keys(): Promise<string[]>;
}

/** Asynchronous, like Electron's (since 45) and the web's clipboard. */
export interface Clipboard {
  readText(): Promise<string>;
  writeText(text: string): Promise<void>;
  clear(): Promise<void>;
}

export interface Notifier {
  notify(note: { title: string; body: string; onClick?: () => void }): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

/** The injected HTTP client: Electron's net.fetch in the app, Node's fetch in tests. */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Logs carry events and error messages, never a token value or a credential. */
export interface Logger {
  info(message: string, fields?: Record<string, string | number | boolean>): void;
  warn(message: string, fields?: Record<string, string | number | boolean>): void;
  error(message: string, fields?: Record<string, string | number | boolean>): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};
