/**
 * The command line as a user meets it: built once with esbuild (as `npm run build` builds it),
 * then run with plain `node` in a process of its own, on a vault the real core seeded, with its
 * own data folder and keychain service. A fake clipboard command on PATH records what the CLI
 * copies and clears.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli } from '../../scripts/build-cli';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

export interface BuiltCli {
  path: string;
  /** Runs `node <cli> ...args`, bounded in time; stdout and stderr are pipes. */
  run(args: readonly string[], options?: CliRun): Promise<CliResult>;
  remove(): Promise<void>;
}

/**
 * Builds the CLI into the project's node_modules/.cache (keytar is found from where the bundle
 * is, as it is from out/cli), apart from out/ so a test never replaces the real build.
 */
export async function buildTestCli(): Promise<BuiltCli> {
  const dir = join(
    import.meta.dirname,
    '../../node_modules/.cache/token-vault-cli',
    randomBytes(6).toString('hex'),
  );
  const path = await buildCli(join(dir, 'token-vault.mjs'));
  return {
    path,
    run: (args, options) => runNode([path, ...args], options),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export function runNode(
  args: readonly string[],
  { env, input, timeoutMs = 20_000 }: CliRun = {},
): Promise<CliResult> {
  return runProcess(process.execPath, args, { env, input, timeoutMs });
}

export function runProcess(
  command: string,
  args: readonly string[],
  { env = process.env, input, timeoutMs = 20_000 }: CliRun = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: no end in ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.end(input ?? '');
  });
}

export interface FakeClipboard {
  /** Put first on PATH: holds an `xclip` that keeps the clipboard in a file. */
  binDir: string;
  /** What the clipboard holds now ('' once cleared). */
  content(): Promise<string>;
  /** Someone else copies something. */
  set(text: string): Promise<void>;
  /** Every invocation's arguments, one line each. */
  calls(): Promise<string[]>;
}

/** A stand-in for xclip: `-in` stores stdin in a file, `-out` prints it; every call is logged. */
export async function fakeXclip(): Promise<FakeClipboard> {
  const dir = await mkdtemp(join(tmpdir(), 'vault-cli-clipboard-'));
  const binDir = join(dir, 'bin');
  await mkdir(binDir);
  const file = join(dir, 'clipboard');
  const log = join(dir, 'calls.log');
  await writeFile(
    join(binDir, 'xclip'),
    `#!/bin/sh
echo "$*" >> '${log}'
case " $* " in
  *" -out "*) cat '${file}' 2>/dev/null ;;
  *) cat > '${file}.new' && mv '${file}.new' '${file}' ;;
esac
`,
  );
  await chmod(join(binDir, 'xclip'), 0o755);
  return {
    binDir,
    content: () => readFile(file, 'utf8').catch(() => ''),
    set: (text) => writeFile(file, text),
    calls: async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean),
  };
}

/** Waits until `check` holds, polling, for at most `timeoutMs`; answers whether it held. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
  everyMs = 100,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return check();
}

/** Every file of a folder and its content's digest (but the ones named): equal means untouched. */
export async function folderDigest(
  dir: string,
  except: readonly string[] = [],
): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => !except.includes(f.slice(dir.length + 1)));
  const digests = await Promise.all(
    files.map(async (f) =>
      createHash('sha256')
        .update(await readFile(f))
        .digest('hex'),
    ),
  );
  return Object.fromEntries(files.map((f, i) => [f.slice(dir.length + 1), digests[i]!]));
}
