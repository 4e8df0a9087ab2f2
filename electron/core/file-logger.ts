/**
 * A JSON-lines log in the data folder. It takes fixed messages and small scalar fields only, so
 * a value cannot slip in through string interpolation, and every string is sanitized besides, in
 * case one quotes a server or the OS; one old file is kept when it grows large.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './ports';
import { redact } from './redact';

const MAX_BYTES = 1_000_000;

type Fields = Record<string, string | number | boolean>;

export function createFileLogger(dir: string, now: () => number = Date.now): Logger & { path: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, 'vault.log');
  const write = (level: string) => (message: string, fields?: Fields) => {
    try {
      if ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(path, `${path}.1`);
      appendFileSync(
        path,
        `${JSON.stringify({ at: new Date(now()).toISOString(), level, message: redact(message), ...redactAll(fields) })}\n`,
        {
          mode: 0o600,
        },
      );
    } catch {
      // Logging must never break the vault.
    }
  };
  return { path, info: write('info'), warn: write('warn'), error: write('error') };
}

function redactAll(fields: Fields = {}): Fields {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? redact(v) : v]),
  );
}
