/**
 * The commands' actions, over the core's own parts (store, account check, keychain, journal,
 * expiry): the CLI is another edge of the same vault, like the window and the tray, not a second
 * copy of it. Each prints for people on stdout, fails with a CliError, and never prints a value
 * except `read`'s.
 */
import type { HistoryEntry } from '@contract';
import { VaultError } from '@core/errors';
import { redact } from '@core/redact';
import { clipboardTools, writeClipboard } from './clipboard';
import { digestOf, scheduleClear } from './clipboard-clear';
import { CliError, errorText, EXIT } from './errors';
import { listingText, vaultListing } from './listing';
import { readRefusal } from './read-policy';
import { runMasked } from './run-command';
import { STATUS_EXIT, vaultStatus } from './status';
import { resolveRef, type ResolvedRef } from './token-ref';
import { heldValueOf } from '@core/storage/keys';
import { hasCredential, openVault, type OpenVault, type VaultLocation } from './vault';

const out = (text: string) => process.stdout.write(text);
const warn = (text: string) => process.stderr.write(`token-vault: ${redact(text)}\n`);

export async function listCommand(location: VaultLocation, { json = false } = {}): Promise<void> {
  const vault = await openVault(location);
  const listing = vaultListing(vault.metadata, Date.now(), vault.dataDir, vault.problems);
  out(json ? `${JSON.stringify(listing, null, 2)}\n` : listingText(listing));
}

export async function statusCommand(location: VaultLocation, { keychain = true } = {}): Promise<number> {
  let vault: OpenVault;
  try {
    vault = await openVault(location);
  } catch (error) {
    out(`Token Vault unknown: ${errorText(error)}\n`);
    return STATUS_EXIT.unknown;
  }
  const listing = vaultListing(vault.metadata, Date.now(), vault.dataDir, vault.problems);
  const missingCredentials: string[] = [];
  let keychainProblem: string | null = null;
  if (keychain) {
    for (const account of vault.metadata.accounts) {
      try {
        if (!(await hasCredential(vault, account))) missingCredentials.push(account.label);
      } catch (error) {
        keychainProblem =
          error instanceof VaultError ? 'locked or not running; credentials not checked' : errorText(error);
        break;
      }
    }
  }
  const { exitCode, line } = vaultStatus(vault.metadata, listing, {
    missingCredentials,
    keychainProblem,
    unreadable: vault.unreadable,
  });
  out(`${line}\n`);
  return exitCode;
}

export async function copyCommand(location: VaultLocation, typed: string): Promise<void> {
  const vault = await openVault(location);
  const ref = resolveRef(typed, vault.metadata);
  // No clipboard at all is known before the keychain is asked for anything.
  const tools = clipboardTools();
  const value = await heldValueOf(
    vault.secrets,
    vault.metadata,
    { accountId: ref.account.id, name: ref.name },
    ref.shownAs,
  );
  const written = await writeClipboard(value, tools);
  const clearMs = vault.metadata.settings.clipboardClearMs;
  if (clearMs > 0) scheduleClear(written.tool.name, digestOf(value), clearMs);
  await recordUse(vault, ref, 'copy');
  out(
    `Copied ${ref.shownAs} to the clipboard (${written.tool.name}); ` +
      (clearMs > 0
        ? `it is cleared in ${seconds(clearMs)} if it still holds it.\n`
        : 'it is not cleared later (the clipboard clear is off in the settings).\n'),
  );
  if (!written.sensitive) {
    out(
      'Unlike the app\'s copies, this one carries no "concealed" marker: a clipboard manager or the OS\'s ' +
        'clipboard history may keep it.\n',
    );
  }
}

export async function readCommand(
  location: VaultLocation,
  typed: string,
  { reveal = false } = {},
): Promise<void> {
  const refusal = readRefusal(Boolean(process.stdout.isTTY), reveal);
  if (refusal) throw new CliError(refusal);
  const vault = await openVault(location);
  const ref = resolveRef(typed, vault.metadata);
  const value = await heldValueOf(
    vault.secrets,
    vault.metadata,
    { accountId: ref.account.id, name: ref.name },
    ref.shownAs,
  );
  await recordUse(vault, ref, 'read');
  out(`${value}\n`);
}

export interface RunOptions {
  token: string;
  env: string;
  hostEnv: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Answers the command's exit status; the CLI's own failures before it starts are 125. */
export async function runCommand(
  location: VaultLocation,
  command: string[],
  options: RunOptions,
): Promise<number> {
  let request: { value: string; env: Record<string, string>; ref: ResolvedRef; vault: OpenVault };
  try {
    for (const name of [options.env, options.hostEnv]) {
      if (!ENV_NAME.test(name)) throw new CliError(`"${name}" is not an environment variable name.`);
    }
    if (options.env === options.hostEnv) {
      throw new CliError('The token and the server URL need two different variables.');
    }
    const vault = await openVault(location);
    const ref = resolveRef(options.token, vault.metadata);
    const value = await heldValueOf(
      vault.secrets,
      vault.metadata,
      { accountId: ref.account.id, name: ref.name },
      ref.shownAs,
    );
    request = { value, env: { [options.env]: value, [options.hostEnv]: ref.account.baseUrl }, ref, vault };
  } catch (error) {
    throw new CliError(errorText(error), EXIT.runFailed);
  }
  const { value, env, ref, vault } = request;
  return runMasked({
    command,
    env,
    value,
    onStarted: () => recordUse(vault, ref, 'run'),
    onError: warn,
  });
}

/**
 * Each use goes into the app's history of uses (history.jsonl, appended: the journal is made for
 * several writers), never the value. A use not recorded (a full disk) is said, and stands.
 */
async function recordUse(vault: OpenVault, ref: ResolvedRef, action: HistoryEntry['action']): Promise<void> {
  try {
    await vault.history.record({
      accountId: ref.account.id,
      name: ref.name,
      at: Date.now(),
      action,
      via: 'cli',
    });
  } catch (error) {
    warn(`this use was not recorded in the history (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

const seconds = (ms: number) => (ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1_000)} s`);
