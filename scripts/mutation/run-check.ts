/**
 * Runs checks in one copy of the project and says what each found: caught (a test failed, named),
 * survived (the tests ran and passed), or a problem never counted as caught: the check timed out
 * (as a whole, or its tests only by their time limits), its filter matched no test, or it failed
 * without a failing test (a build, a load, a crash). vitest checks go to a vitest kept running in
 * the copy (vitest-server.mjs); Playwright and the package check are started per check.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { Check } from './mutants';
import { ASAR_IN_PACKAGE } from './workspace';

export type Outcome =
  | { readonly kind: 'caught'; readonly by: readonly string[] }
  | { readonly kind: 'survived' }
  | { readonly kind: 'timed out'; readonly detail: string }
  | { readonly kind: 'no test'; readonly detail: string }
  | { readonly kind: 'broken'; readonly detail: string };

/** Bounds per kind of work: far above its usual seconds, far below a hung run's forever. */
export const TIMEOUT_MS = {
  build: 60_000,
  vitest: 60_000,
  playwright: 90_000,
  packageCheck: 120_000,
} as const;

const bin = (name: string) => join('node_modules', '.bin', name);

/** The literal `text` as a regular expression (test-name filters are patterns). */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function describeCheck(check: Check): string {
  if ('vitest' in check) return `${check.vitest} › ${check.test}`;
  if ('packageCheck' in check) return 'npm run package:check';
  return `${'e2e' in check ? check.e2e : check.packaged} › ${check.grep}`;
}

export interface Ran {
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly output: string;
}

/** Kills a child and everything it started (browsers, forks): it leads its own process group. */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Runs a command in the copy, killed whole when it overruns; keeps the tail of its output. */
export function run(
  work: string,
  command: string,
  args: readonly string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = {},
): Promise<Ran> {
  return new Promise((done) => {
    const child = spawn(command, args, {
      cwd: work,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: null, timedOut, output: String(error) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, timedOut, output });
    });
  });
}

interface TestResult {
  readonly name: string;
  /** The test's own title, without its describe blocks'. */
  readonly title: string;
  readonly failed: boolean;
  /** Failed by its time limit only: it waited for something that never came. */
  readonly timedOut: boolean;
}

/** What vitest-server.mjs answers. */
interface VitestAnswer {
  readonly tests: readonly { name: string; title: string; state: string; errors: readonly string[] }[];
  readonly loadErrors: readonly string[];
}

/**
 * The copy's vitest, started on first use and again after a check it had to be killed for. Files
 * edited since its last run are named to it, so it transforms them afresh.
 */
class VitestServer {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private output = '';
  private readonly changed = new Set<string>();

  constructor(private readonly work: string) {}

  /** Files that changed on disk (a mutant applied or undone). */
  touched(files: readonly string[]): void {
    files.forEach((f) => this.changed.add(f));
  }

  async run(file: string, test: string): Promise<{ answer: VitestAnswer } | { ran: Ran }> {
    this.ready ??= this.start();
    await this.ready;
    const child = this.child!;
    const changed = [...this.changed];
    this.changed.clear();
    return new Promise((done) => {
      const timer = setTimeout(() => {
        this.stop();
        done({ ran: { code: null, timedOut: true, output: this.output } });
      }, TIMEOUT_MS.vitest);
      const onExit = () => {
        clearTimeout(timer);
        this.child = null;
        this.ready = null;
        done({ ran: { code: null, timedOut: false, output: this.output } });
      };
      child.once('exit', onExit);
      child.once('message', (answer: VitestAnswer) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        done({ answer });
      });
      child.send({ file, pattern: literal(test), changed });
    });
  }

  private start(): Promise<void> {
    this.output = '';
    const child = fork('scripts/mutation/vitest-server.mjs', [], {
      cwd: this.work,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: process.platform !== 'win32',
    });
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.child = child;
    this.changed.clear(); // a new vitest reads every file afresh
    return new Promise((ready, fail) => {
      child.once('message', () => ready());
      child.once('exit', () => fail(new Error(`vitest did not start in ${this.work}: ${this.output}`)));
    });
  }

  stop(): void {
    if (this.child) killGroup(this.child);
    this.child = null;
    this.ready = null;
  }
}

/** The report's tests, by the package each booted (the 'package' annotation; '' for e2e). */
function playwrightResults(path: string): Map<string, TestResult[]> | null {
  interface Test {
    annotations?: { type: string; description?: string }[];
    results: { status: string; annotations?: { type: string; description?: string }[] }[];
  }
  interface Suite {
    specs?: { title: string; tests: Test[] }[];
    suites?: Suite[];
  }
  if (!existsSync(path)) return null;
  const report = JSON.parse(readFileSync(path, 'utf8')) as { suites: Suite[] };
  const byPackage = new Map<string, TestResult[]>();
  const walk = (suite: Suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const statuses = test.results.map((r) => r.status).filter((s) => s !== 'skipped');
        if (!statuses.length) continue;
        const failed = statuses.some((s) => s !== 'passed');
        const timedOut = failed && statuses.every((s) => s === 'timedOut');
        const annotations = [
          ...(test.annotations ?? []),
          ...test.results.flatMap((r) => r.annotations ?? []),
        ];
        const booted = annotations.find((a) => a.type === 'package')?.description ?? '';
        byPackage.set(booted, [
          ...(byPackage.get(booted) ?? []),
          { name: spec.title, title: spec.title, failed, timedOut },
        ]);
      }
    }
    suite.suites?.forEach(walk);
  };
  report.suites.forEach(walk);
  return byPackage;
}

function judge(ran: Ran, results: readonly TestResult[] | null, limitMs: number): Outcome {
  if (ran.timedOut) return { kind: 'timed out', detail: `the check ran past ${limitMs / 1000} s` };
  if (results === null) return { kind: 'broken', detail: tail(ran.output) };
  if (!results.length) return { kind: 'no test', detail: 'its filter matches no test' };
  const failed = results.filter((r) => r.failed);
  const caughtBy = failed.filter((r) => !r.timedOut);
  if (caughtBy.length) return { kind: 'caught', by: caughtBy.map((r) => r.name) };
  if (failed.length) {
    const names = failed.map((r) => r.name).join('; ');
    return { kind: 'timed out', detail: `only by its tests' time limits: ${names}` };
  }
  if (ran.code !== 0) return { kind: 'broken', detail: tail(ran.output) };
  return { kind: 'survived' };
}

const tail = (output: string) => output.trim().split('\n').slice(-6).join('\n      ');

/** Runs checks in one copy of the project (its app parts already built for each). */
export class CheckRunner {
  private readonly vitest: VitestServer;

  constructor(readonly work: string) {
    this.vitest = new VitestServer(work);
  }

  /** Files of the copy that changed since the last check. */
  touched(files: readonly string[]): void {
    this.vitest.touched(files);
  }

  /** Runs a vitest, e2e or package check (a packaged one: runPackaged). */
  async run(check: Check): Promise<Outcome> {
    if ('vitest' in check) return this.vitestOutcome(check.vitest, check.test);
    if ('packageCheck' in check) return this.packageCheck();
    if ('packaged' in check) return (await this.runPackaged(check, [null]))[0]!;
    const { ran, results } = await this.playwright('e2e', check.e2e, check.grep, {});
    return judge(ran, results === null ? null : (results.get('') ?? []), TIMEOUT_MS.playwright);
  }

  /**
   * A packaged check once on each package (`--repeat-each`: the harness boots the repetition's
   * package from VAULT_PACKAGE_DIRS); null: the base package. One outcome per package.
   */
  async runPackaged(
    check: Extract<Check, { packaged: string }>,
    packageDirs: readonly (string | null)[],
  ): Promise<Outcome[]> {
    const dirs = packageDirs.map((d) => d ?? 'dist');
    const env = { VAULT_PACKAGE_DIRS: dirs.join(delimiter) };
    const repeat = [`--repeat-each=${dirs.length}`];
    const { ran, results } = await this.playwright('packaged', check.packaged, check.grep, env, repeat);
    const limit = TIMEOUT_MS.playwright * dirs.length;
    return dirs.map((dir) => {
      const booted = resolve(this.work, dir, ASAR_IN_PACKAGE);
      return judge(ran, results === null ? null : (results.get(booted) ?? []), limit);
    });
  }

  private async playwright(
    project: string,
    file: string,
    grep: string,
    env: NodeJS.ProcessEnv,
    extra: readonly string[] = [],
  ): Promise<{ ran: Ran; results: Map<string, TestResult[]> | null }> {
    const report = join(this.work, '.mutant', 'reports', 'playwright.json');
    mkdirSync(dirname(report), { recursive: true });
    rmSync(report, { force: true });
    const args = [
      'test',
      `--project=${project}`,
      file,
      '-g',
      literal(grep),
      '--reporter=json',
      '--workers=1',
    ];
    const repetitions = Number(extra.find((a) => a.startsWith('--repeat-each='))?.split('=')[1] ?? 1);
    const ran = await run(
      this.work,
      bin('playwright'),
      [...args, ...extra],
      TIMEOUT_MS.playwright * repetitions,
      {
        ...env,
        PLAYWRIGHT_JSON_OUTPUT_FILE: report,
      },
    );
    return { ran, results: playwrightResults(report) };
  }

  /** `--discover`: the tests of `file` that fail alone, as they are now, fastest first. */
  async failingAlone(file: string): Promise<{ name: string; ms: number }[]> {
    const whole = await this.vitest.run(file, '');
    if (!('answer' in whole)) return [];
    const alone: { name: string; ms: number }[] = [];
    for (const test of whole.answer.tests.filter((t) => t.state === 'failed')) {
      const at = performance.now();
      const outcome = await this.vitestOutcome(file, test.title);
      if (outcome.kind === 'caught') alone.push({ name: test.title, ms: performance.now() - at });
    }
    return alone.sort((a, b) => a.ms - b.ms);
  }

  close(): void {
    this.vitest.stop();
  }

  private async vitestOutcome(file: string, test: string): Promise<Outcome> {
    const result = await this.vitest.run(file, test);
    if ('ran' in result) return judge(result.ran, null, TIMEOUT_MS.vitest);
    const { tests, loadErrors } = result.answer;
    if (loadErrors.length)
      return { kind: 'broken', detail: `the file failed to load: ${loadErrors.join('; ')}` };
    const results = tests
      .filter((t) => t.state === 'passed' || t.state === 'failed')
      .map((t) => ({
        name: t.name,
        title: t.title,
        failed: t.state === 'failed',
        timedOut: t.state === 'failed' && t.errors.every((m) => /^Test timed out in/.test(m)),
      }));
    return judge({ code: 0, timedOut: false, output: '' }, results, TIMEOUT_MS.vitest);
  }

  private async packageCheck(): Promise<Outcome> {
    const ran = await run(this.work, bin('tsx'), ['scripts/package-check.ts'], TIMEOUT_MS.packageCheck);
    if (ran.timedOut) {
      return { kind: 'timed out', detail: `the check ran past ${TIMEOUT_MS.packageCheck / 1000} s` };
    }
    // A check that found the fault prints `✗ <what>`; a crash of the packing is no catch.
    const found = ran.output
      .split('\n')
      .filter((l) => l.startsWith('✗ ') && !l.startsWith('✗ packaging failed'));
    if (found.length) return { kind: 'caught', by: found.map((l) => l.slice(2)) };
    return ran.code === 0 ? { kind: 'survived' } : { kind: 'broken', detail: tail(ran.output) };
  }
}
