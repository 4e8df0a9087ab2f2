/**
 * `npm run mutation:check` (in the test command, inside the private Secret Service): removes each
 * protection listed in scripts/mutation/mutants.ts from a copy of the project, one at a time, and
 * runs only the tests that guard it. A removal no test notices is a survivor, and fails the run; so
 * does a mutant whose text is no longer found (the list cannot go stale quietly), one whose check
 * times out or whose tests fail only by their time limits (never counted as caught), one whose
 * filter matches no test, one whose check fails without a failing test, and one whose check fails
 * with nothing removed (its catch would prove nothing).
 *
 * Builds are shared (scripts/mutation/workspace.ts): `--after-suite` (the test command, where the
 * suite has just passed on these very files) starts from the suite's out/ and dist/; otherwise a
 * base copy is built and packed first. Mutants of the packaged app that share a check are built one
 * after another in the same copy, each into a package of its own, and checked in one Playwright
 * run (`--repeat-each`, one repetition per package). `--workers N` copies work side by side (3 by
 * default). `--only <text>` picks the protections that mention the text; `--discover` lists, for
 * each vitest one, the tests of its file that fail alone without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MUTANTS, type Check, type Mutant } from './mutation/mutants';
import { CheckRunner, describeCheck, run, TIMEOUT_MS, type Outcome } from './mutation/run-check';
import {
  applyEdits,
  baseBuild,
  copyProject,
  packageWithParts,
  partsBuiltFrom,
  restoreParts,
  scratchDir,
  type Base,
  type Part,
} from './mutation/workspace';

const project = join(import.meta.dirname, '..');
/** Mutants checked in one Playwright run at most, so one group does not hold up the end. */
const GROUP = 4;

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const files = (mutant: Mutant) => mutant.edits.map((e) => e.file);

/**
 * One run of a check: on the given mutants, each removed on its own build (several only for the
 * packaged app), or on none, where it must pass. A baseline of the app rebuilds `parts` unchanged,
 * to prove the rebuild and the swap themselves.
 */
interface Task {
  readonly check: Check;
  readonly mutants: readonly Mutant[];
  readonly parts: readonly Part[];
}

/** What a task found: one outcome per mutant (or one for the baseline). */
interface Found {
  readonly check: Check;
  readonly mutant: Mutant | null;
  readonly outcome: Outcome | 'stale';
  readonly ms: number;
}

class Worker {
  readonly runner: CheckRunner;

  constructor(
    readonly work: string,
    private readonly base: Base,
  ) {
    this.runner = new CheckRunner(work);
  }

  async do(task: Task): Promise<Found[]> {
    const at = performance.now();
    const found = (mutant: Mutant | null, outcome: Outcome | 'stale'): Found => ({
      check: task.check,
      mutant,
      outcome,
      ms: performance.now() - at,
    });
    if ('packaged' in task.check) return this.packaged(task, task.check, found);
    const mutant = task.mutants[0] ?? null;
    if (!mutant)
      return [found(null, await this.built(task.check, task.parts, () => this.runner.run(task.check)))];
    const outcome = await this.removed(mutant, () =>
      this.built(task.check, appParts(task.check, mutant), () => this.runner.run(task.check)),
    );
    return [found(mutant, outcome)];
  }

  /** Each mutant built into a package of its own, then one Playwright run over them all. */
  private async packaged(
    task: Task,
    check: Extract<Check, { packaged: string }>,
    found: (m: Mutant | null, o: Outcome | 'stale') => Found,
  ): Promise<Found[]> {
    const packages: { mutant: Mutant | null; dir: string }[] = [];
    const early: Found[] = [];
    const pack = (mutant: Mutant | null, parts: readonly Part[], slot: number) =>
      this.built(task.check, parts, async () => {
        packages.push({
          mutant,
          dir: await packageWithParts(this.work, this.base, parts, `package-${slot}`),
        });
        return null;
      });
    if (!task.mutants.length) {
      const failed = await pack(null, task.parts, 0);
      if (failed) return [found(null, failed)];
    }
    for (const [slot, mutant] of task.mutants.entries()) {
      const failed = await this.removed(mutant, () => pack(mutant, appParts(task.check, mutant), slot));
      if (failed) early.push(found(mutant, failed));
    }
    if (!packages.length) return early;
    const outcomes = await this.runner.runPackaged(
      check,
      packages.map((p) => p.dir),
    );
    return [...early, ...packages.map((p, i) => found(p.mutant, outcomes[i]!))];
  }

  /** Runs `then` with the mutant's edits applied (the copy's vitest told both ways). */
  private async removed<T>(mutant: Mutant, then: () => Promise<T>): Promise<T | 'stale'> {
    const applied = applyEdits(this.work, mutant.edits);
    if ('stale' in applied) return 'stale';
    this.runner.touched(files(mutant));
    try {
      return await then();
    } finally {
      applied.undo();
      this.runner.touched(files(mutant));
    }
  }

  /** Rebuilds `parts` from the copy's files as they are, runs `then`, and restores the base's. */
  private async built<T>(check: Check, parts: readonly Part[], then: () => Promise<T>): Promise<T | Outcome> {
    if (parts.length) {
      const args = ['scripts/build-parts.mjs', ...parts];
      const built = await run(this.work, process.execPath, args, TIMEOUT_MS.build);
      if (built.code !== 0) {
        restoreParts(this.work, this.base, parts);
        return {
          kind: 'broken',
          detail: `the build of ${describeCheck(check)} failed: ${built.output.trim()}`,
        };
      }
    }
    try {
      return await then();
    } finally {
      if (parts.length) restoreParts(this.work, this.base, parts);
    }
  }
}

/** The parts of the app a check of this mutant needs rebuilt (vitest and the package check: none). */
function appParts(check: Check, mutant: Mutant): Part[] {
  return 'e2e' in check || 'packaged' in check ? partsBuiltFrom(files(mutant)) : [];
}

/**
 * The work: every mutant, the packaged app's grouped by check; and the baseline: every distinct
 * check must pass with nothing removed (a check failing anyway would count as a catch). After the
 * suite, which has just passed, that is one packaged and one e2e check on parts rebuilt and swapped
 * in (the suite did neither), and every vitest check (each runs alone, as the mutants run it: a test
 * leaning on an earlier one fails alone) but those the suite's own run already proves: their tests
 * are the first of their file, so the suite ran them from the same start.
 */
function plan(mutants: readonly Mutant[], suite: SuiteOrder | null): Task[] {
  const byCheck = new Map<string, Mutant[]>();
  for (const m of mutants)
    byCheck.set(JSON.stringify(m.check), [...(byCheck.get(JSON.stringify(m.check)) ?? []), m]);
  const tasks: Task[] = [];
  for (const group of byCheck.values()) {
    const check = group[0]!.check;
    // Together only those with a package of their own (one that rebuilds nothing boots the base).
    const own = 'packaged' in check ? group.filter((m) => appParts(check, m).length) : [];
    for (let i = 0; i < own.length; i += GROUP) {
      tasks.push({ check, mutants: own.slice(i, i + GROUP), parts: [] });
    }
    for (const m of group.filter((m) => !own.includes(m))) tasks.push({ check, mutants: [m], parts: [] });
    const parts = [...new Set(group.flatMap((m) => appParts(check, m)))];
    tasks.push({ check, mutants: [], parts });
  }
  const baselines = tasks.filter((t) => !t.mutants.length);
  const sample = (kind: string) => baselines.find((t) => kind in t.check && t.parts.length);
  const kept = suite
    ? new Set([
        sample('packaged'),
        sample('e2e'),
        ...baselines.filter((t) => 'vitest' in t.check && !provenBySuite(t.check, suite)),
      ])
    : new Set(baselines);
  return tasks.filter((t) => t.mutants.length || kept.has(t)).sort((a, b) => cost(b) - cost(a));
}

/** Each vitest file's tests as the suite ran them, in order (test-results/vitest.json). */
type SuiteOrder = ReadonlyMap<string, readonly { name: string; passed: boolean }[]>;

function suiteOrder(): SuiteOrder {
  const path = join(project, 'test-results/vitest.json');
  if (!existsSync(path)) return new Map();
  const report = JSON.parse(readFileSync(path, 'utf8')) as {
    testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
  };
  return new Map(
    report.testResults.map((file) => [
      relative(project, file.name),
      file.assertionResults.map((t) => ({ name: t.fullName, passed: t.status === 'passed' })),
    ]),
  );
}

/** The check's tests are the first of its file and passed in the suite: the same run, proven. */
function provenBySuite(check: Check, suite: SuiteOrder): boolean {
  if (!('vitest' in check)) return false;
  const tests = suite.get(check.vitest) ?? [];
  const matching = tests.map((t) => t.name.includes(check.test));
  const count = matching.filter(Boolean).length;
  return count > 0 && matching.slice(0, count).every(Boolean) && tests.slice(0, count).every((t) => t.passed);
}

/** The order work is taken in: the longest first, so the last to finish are short. */
function cost(task: Task): number {
  const c = task.check;
  if ('packaged' in c) return 10 + task.mutants.length;
  if ('packageCheck' in c || 'e2e' in c) return 5;
  return c.vitest.includes('kill-mid-write') || c.vitest.includes('refresh-hang') ? 2 : 0;
}

/**
 * The tasks in order, but a test file in one place at a time, as in the suite: tests of one file
 * may share what is not theirs alone (the sign-in's fixed loopback ports, say).
 */
class Queue {
  private readonly pending: Task[];
  private readonly busy = new Set<string>();
  private wake: (() => void)[] = [];

  constructor(tasks: readonly Task[]) {
    this.pending = [...tasks];
  }

  /** The next task whose file no other worker is running; undefined when none is left. */
  async take(): Promise<Task | undefined> {
    for (;;) {
      const at = this.pending.findIndex((t) => !this.busy.has(testFile(t.check)));
      if (at >= 0) {
        const [task] = this.pending.splice(at, 1);
        this.busy.add(testFile(task!.check));
        return task;
      }
      if (!this.pending.length) return undefined;
      await new Promise<void>((resolve) => this.wake.push(resolve));
    }
  }

  done(task: Task): void {
    this.busy.delete(testFile(task.check));
    this.wake.splice(0).forEach((resolve) => resolve());
  }
}

function testFile(check: Check): string {
  if ('vitest' in check) return check.vitest;
  if ('e2e' in check) return check.e2e;
  return 'packaged' in check ? check.packaged : 'package-check';
}

async function main(): Promise<boolean> {
  const started = performance.now();
  const afterSuite = process.argv.includes('--after-suite');
  const only = option('--only')?.toLowerCase();
  const mutants = only ? MUTANTS.filter((m) => m.protection.toLowerCase().includes(only)) : MUTANTS;
  const tasks = plan(mutants, afterSuite ? suiteOrder() : null);
  const workerCount = Math.max(1, Math.min(Number(option('--workers') ?? 3), tasks.length));
  const scratch = scratchDir();
  const copies: string[] = [];
  const workers: Worker[] = [];
  try {
    let baseProject = project;
    if (!afterSuite) {
      baseProject = copyProject(project);
      copies.push(baseProject);
      for (const [command, args] of [
        ['node_modules/.bin/electron-vite', ['build']],
        ['node_modules/.bin/tsx', ['scripts/package-check.ts']],
      ] as const) {
        const ran = spawnSync(command, args, { cwd: baseProject, encoding: 'utf8' });
        if (ran.status !== 0) {
          console.log(`✗ base build: \`${command} ${args.join(' ')}\` fails:\n${ran.stdout}${ran.stderr}`);
          return false;
        }
      }
    }
    const base = baseBuild(baseProject, scratch);
    for (let i = 0; i < workerCount; i++) {
      const work = copyProject(project);
      restoreParts(work, base);
      copies.push(work);
      workers.push(new Worker(work, base));
    }
    console.log(`Base build and ${workerCount} copies ready in ${seconds(performance.now() - started)}.`);
    if (process.argv.includes('--discover')) return await discover(workers[0]!, mutants);

    const results: Found[] = [];
    const queue = new Queue(tasks);
    await Promise.all(
      workers.map(async (worker) => {
        for (let task = await queue.take(); task; task = await queue.take()) {
          try {
            for (const result of await worker.do(task)) {
              results.push(result);
              if (result.mutant) console.log(line(result));
            }
          } finally {
            queue.done(task);
          }
        }
      }),
    );
    const problems = verdicts(results);
    const baselines = results.filter((r) => !r.mutant).length;
    console.log(
      `\n${mutants.length} protections removed one at a time, ${problems.length} not caught; ` +
        `${baselines} checks passed unmutated (${seconds(performance.now() - started)}, ${workerCount} at a time).`,
    );
    for (const problem of problems) console.log(`  ${problem}`);
    return problems.length === 0;
  } finally {
    workers.forEach((w) => w.runner.close());
    for (const work of copies) rmSync(work, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

function line({ mutant, outcome, ms, check }: Found): string {
  const kind = outcome === 'stale' ? 'stale' : outcome.kind;
  return `${kind === 'caught' ? '✓' : '✗'} ${mutant!.protection}  (${describeCheck(check)}; ${seconds(ms)})`;
}

/** Everything not caught, and every catch whose check also fails with nothing removed. */
function verdicts(results: readonly Found[]): string[] {
  const failingUnmutated = new Map<string, string>();
  for (const r of results) {
    if (r.mutant || r.outcome === 'stale' || r.outcome.kind === 'survived') continue;
    failingUnmutated.set(JSON.stringify(r.check), `${describeCheck(r.check)}: ${describe(r.outcome)}`);
  }
  const problems: string[] = [];
  for (const { mutant, outcome, check } of results) {
    if (!mutant) continue;
    const name = `"${mutant.protection}"`;
    if (outcome === 'stale') {
      problems.push(`stale: ${name}: the text to remove is no longer in ${files(mutant).join(', ')}`);
    } else if (outcome.kind !== 'caught') {
      problems.push(`${outcome.kind}: ${name}: ${describe(outcome)}`);
    } else if (failingUnmutated.has(JSON.stringify(check))) {
      problems.push(`unproven: ${name}: its check fails with nothing removed too`);
    }
  }
  for (const why of failingUnmutated.values()) problems.push(`baseline: ${why}`);
  return problems;
}

/** `--discover`: for each vitest mutant, the tests of its file that fail alone under it, fastest first. */
async function discover(worker: Worker, mutants: readonly Mutant[]): Promise<boolean> {
  const { runner, work } = worker;
  for (const mutant of mutants) {
    if (!('vitest' in mutant.check)) continue;
    const applied = applyEdits(work, mutant.edits);
    if ('stale' in applied) continue;
    runner.touched(files(mutant));
    try {
      const alone = await runner.failingAlone(mutant.check.vitest);
      console.log(`${mutant.protection}:`);
      for (const { name, ms } of alone) console.log(`  ${seconds(ms).padStart(7)}  ${name}`);
      if (!alone.length) console.log('  (no test of the file fails alone)');
    } finally {
      applied.undo();
      runner.touched(files(mutant));
    }
  }
  return true;
}

function describe(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'caught':
      return `caught by ${outcome.by.join('; ')}`;
    case 'survived':
      return 'its tests pass without it';
    default:
      return outcome.detail;
  }
}

process.exit((await main()) ? 0 : 1);
