/**
 * The system clipboard through the OS's own commands (plain Node has no clipboard): pbcopy and
 * pbpaste on macOS, clip.exe and PowerShell on Windows, wl-copy / wl-paste on Wayland, xclip or
 * xsel on X11. The value goes to the command's stdin, never its argv (other users' `ps` shows
 * argv).
 *
 * What the app does and these commands cannot: the app marks a copy concealed (nspasteboard's
 * ConcealedType on macOS, Windows' "no history, no cloud sync" formats, KDE's password hint on
 * Linux), so clipboard managers and history skip it. Only wl-copy 2.3+ (`--sensitive`) can
 * carry such a marker; anywhere else, a clipboard manager may keep a copy from the command line,
 * and `copy` says so.
 */
import { spawn } from 'node:child_process';
import { CliError } from './errors';

export interface ClipboardTool {
  name: string;
  write: string[];
  /** Tried first: the same write carrying the "sensitive" hint, where the tool may know one. */
  writeSensitive?: string[];
  read: string[];
  /** How to empty the clipboard; absent: write an empty text. */
  clear?: string[];
}

const TOOLS = {
  pbcopy: { name: 'pbcopy', write: ['pbcopy'], read: ['pbpaste'] },
  clip: {
    name: 'clip.exe',
    write: ['clip'],
    read: ['powershell', '-NoProfile', '-NonInteractive', '-Command', 'Get-Clipboard -Raw'],
  },
  wlCopy: {
    name: 'wl-copy',
    write: ['wl-copy'],
    writeSensitive: ['wl-copy', '--sensitive'],
    read: ['wl-paste', '--no-newline'],
    clear: ['wl-copy', '--clear'],
  },
  xclip: {
    name: 'xclip',
    write: ['xclip', '-selection', 'clipboard', '-in'],
    read: ['xclip', '-selection', 'clipboard', '-out'],
  },
  xsel: {
    name: 'xsel',
    write: ['xsel', '--clipboard', '--input'],
    read: ['xsel', '--clipboard', '--output'],
    clear: ['xsel', '--clipboard', '--clear'],
  },
} satisfies Record<string, ClipboardTool>;

/** The tools to try, in order, for this session; a CliError when there is no clipboard at all. */
export function clipboardTools(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): ClipboardTool[] {
  if (platform === 'darwin') return [TOOLS.pbcopy];
  if (platform === 'win32') return [TOOLS.clip];
  const tools: ClipboardTool[] = [];
  if (env['WAYLAND_DISPLAY']) tools.push(TOOLS.wlCopy);
  // X11, or XWayland behind a Wayland session.
  if (env['DISPLAY']) tools.push(TOOLS.xclip, TOOLS.xsel);
  if (!tools.length) {
    throw new CliError(
      'There is no clipboard here: neither WAYLAND_DISPLAY nor DISPLAY is set (no graphical session). ' +
        'Use `token-vault run` or `token-vault read` instead.',
    );
  }
  return tools;
}

export function toolNamed(name: string, env = process.env, platform = process.platform): ClipboardTool {
  const tool = clipboardTools(env, platform).find((t) => t.name === name);
  if (!tool) throw new CliError(`No clipboard tool "${name}" here.`);
  return tool;
}

/** How long a clipboard command may take: one that hangs must not hold the CLI. */
const TOOL_TIMEOUT_MS = 10_000;

export interface Written {
  tool: ClipboardTool;
  /** The copy carries the "sensitive" hint (wl-copy --sensitive). */
  sensitive: boolean;
}

/** Writes `text` with the first tool that is installed and works. */
export async function writeClipboard(text: string, tools: readonly ClipboardTool[]): Promise<Written> {
  const tried: string[] = [];
  for (const tool of tools) {
    for (const argv of tool.writeSensitive ? [tool.writeSensitive, tool.write] : [tool.write]) {
      const outcome = await runTool(argv, text);
      if (outcome.ok) return { tool, sensitive: argv === tool.writeSensitive };
      // An older wl-copy refuses --sensitive: the plain write comes next.
      if (outcome.missing) {
        tried.push(`${tool.name} (not installed)`);
        break;
      }
      if (argv === tool.write) tried.push(`${tool.name} (${outcome.problem})`);
    }
  }
  throw new CliError(
    `No clipboard command worked: ${tried.join(', ')}. ` +
      (process.platform === 'linux'
        ? 'Install wl-clipboard (Wayland), or xclip or xsel (X11), or use `token-vault run` or `read`.'
        : 'Use `token-vault run` or `read` instead.'),
  );
}

/** What the clipboard holds now (as the tool gives it: PowerShell adds a line break). */
export async function readClipboard(tool: ClipboardTool): Promise<string> {
  const outcome = await runTool(tool.read, null);
  if (!outcome.ok) throw new CliError(`${tool.name} could not read the clipboard (${outcome.problem}).`);
  return outcome.stdout;
}

export async function clearClipboard(tool: ClipboardTool): Promise<void> {
  const outcome = tool.clear ? await runTool(tool.clear, null) : await runTool(tool.write, '');
  if (!outcome.ok) throw new CliError(`${tool.name} could not clear the clipboard (${outcome.problem}).`);
}

type Outcome = { ok: true; stdout: string } | { ok: false; missing: boolean; problem: string };

/**
 * Runs one clipboard command. `input` (or nothing) goes to its stdin; when there is input, its
 * output is not read at all: xclip, xsel and wl-copy leave a child behind that serves the
 * clipboard and keeps any pipe it inherited open, so the command is done at its own exit.
 */
function runTool([command, ...args]: readonly string[], input: string | null): Promise<Outcome> {
  return new Promise((resolve) => {
    const writing = input !== null;
    const child = spawn(command!, args, {
      stdio: [writing ? 'pipe' : 'ignore', writing ? 'ignore' : 'pipe', 'ignore'],
      windowsHide: true,
    });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    const timer = setTimeout(() => {
      child.kill();
      resolve({ ok: false, missing: false, problem: `no answer in ${TOOL_TIMEOUT_MS / 1000} s` });
    }, TOOL_TIMEOUT_MS);
    const done = (outcome: Outcome) => {
      clearTimeout(timer);
      resolve(outcome);
    };
    child.on('error', (error: NodeJS.ErrnoException) =>
      done({ ok: false, missing: error.code === 'ENOENT', problem: error.code ?? error.message }),
    );
    const finish = (code: number | null, signal: NodeJS.Signals | null) =>
      done(
        code === 0
          ? { ok: true, stdout: Buffer.concat(chunks).toString('utf8') }
          : { ok: false, missing: false, problem: signal ? `killed by ${signal}` : `exit code ${code}` },
      );
    // Reading: its whole output first. Writing: its own exit (see above).
    child.on(writing ? 'exit' : 'close', finish);
    if (writing) {
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(input, 'utf8');
    }
  });
}
