/**
 * `npm run mutation:check` (in the test command, inside the private Secret Service): removes each
 * protection listed in scripts/mutation/mutants.ts from a copy of the project, one at a time, and
 * runs the tests that must then fail. A removal no test notices is a survivor: the run fails and
 * names it. A mutant whose text is no longer found fails too, so the list cannot go stale quietly.
 *
 * The checks first run on the unchanged copy and must pass (a test failing for another reason
 * would otherwise count as a catch); `--after-suite` (the test command, where the whole suite has
 * just passed on these very files) runs one build and one test of each kind instead. Two copies
 * work side by side (`--workers N`). `--only <text>` picks the protections that mention the text.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MUTANTS, type Check, type Edit, type Mutant } from './mutation/mutants';

const project = join(import.meta.dirname, '..');
const STEP_TIMEOUT_MS = 240_000;
const bin = (name: string) => join('node_modules', '.bin', name);

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

/** The project's files (tracked and new, not ignored) in a temp folder, sharing node_modules. */
function copyProject(): string {
  const work = mkdtempSync(join(tmpdir(), 'vault-mutants-'));
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: project,
    encoding: 'utf8',
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(work, file)), { recursive: true });
    try {
      writeFileSync(join(work, file), readFileSync(join(project, file)));
    } catch {
      // Listed but deleted in the working tree: nothing to copy.
    }
  }
  symlinkSync(join(project, 'node_modules'), join(work, 'node_modules'), 'junction');
  return work;
}

/** Runs a command in the copy; true when it succeeded. */
function succeeds(work: string, [command, args]: Step): Promise<boolean> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: work, stdio: 'ignore', timeout: STEP_TIMEOUT_MS });
    child.on('error', () => done(false));
    child.on('exit', (code) => done(code === 0));
  });
}

type Step = readonly [string, readonly string[]];
const BUILD: Step = [bin('electron-vite'), ['build']];
const PACKAGE: Step = [bin('tsx'), ['scripts/package-check.ts']];
const vitest = (files: readonly string[]): Step => [bin('vitest'), ['run', '--reporter=dot', ...files]];
const playwright = (project: string, file: string, grep?: string): Step => [
  bin('playwright'),
  ['test', `--project=${project}`, '--reporter=dot', '--workers=1', file, ...(grep ? ['-g', grep] : [])],
];

/** The check's tests, without the build they need. */
function testStep(check: Check): Step | null {
  if ('vitest' in check) return vitest(check.vitest);
  if ('e2e' in check) return playwright('e2e', check.e2e, check.grep);
  if ('packaged' in check) return playwright('packaged', check.packaged, check.grep);
  return null;
}

/** Everything a check runs, in order; it passes when every step succeeds. */
function steps(check: Check): Step[] {
  const tests = testStep(check);
  if ('vitest' in check) return [tests!];
  if ('e2e' in check) return [BUILD, tests!];
  return [BUILD, PACKAGE, ...(tests ? [tests] : [])];
}

async function passes(work: string, stepsToRun: readonly Step[]): Promise<boolean> {
  for (const step of stepsToRun) if (!(await succeeds(work, step))) return false;
  return true;
}

/** Applies the edits; answers how to undo them, or the edit whose text is not there exactly once. */
function apply(work: string, edits: readonly Edit[]): { undo(): void } | { stale: Edit } {
  const originals = new Map<string, string>();
  for (const edit of edits) {
    const path = join(work, edit.file);
    const text = readFileSync(path, 'utf8');
    if (!originals.has(path)) originals.set(path, text);
    if (text.split(edit.find).length !== 2) {
      for (const [file, original] of originals) writeFileSync(file, original);
      return { stale: edit };
    }
    writeFileSync(
      path,
      text.replace(edit.find, () => edit.replace),
    );
  }
  return { undo: () => originals.forEach((original, file) => writeFileSync(file, original)) };
}

function describeCheck(check: Check): string {
  if ('vitest' in check) return check.vitest.join(' ');
  if ('packageCheck' in check) return 'npm run package:check';
  const file = 'e2e' in check ? check.e2e : check.packaged;
  return `${file}${check.grep ? ` -g "${check.grep}"` : ''}`;
}

/** The unchanged copy passes the checks (all of them, or one of each kind after the suite). */
async function baseline(
  work: string,
  mutants: readonly Mutant[],
  afterSuite: boolean,
): Promise<string | null> {
  const checks = [...new Map(mutants.map((m) => [JSON.stringify(m.check), m.check])).values()];
  const vitestFiles = [...new Set(checks.flatMap((c) => ('vitest' in c ? c.vitest : [])))];
  const browserSteps = checks.flatMap((c) => ('vitest' in c ? [] : [testStep(c)].filter((s) => s !== null)));
  const chosen = afterSuite
    ? [vitest(vitestFiles.slice(0, 1)), ...browserSteps.slice(0, 1)]
    : [vitest(vitestFiles), ...browserSteps];
  for (const step of [BUILD, PACKAGE, ...chosen]) {
    if (!(await succeeds(work, step))) return `${step[0]} ${step[1].join(' ')}`;
  }
  return null;
}

async function main(): Promise<boolean> {
  const started = performance.now();
  const only = option('--only')?.toLowerCase();
  const mutants = only ? MUTANTS.filter((m) => m.protection.toLowerCase().includes(only)) : MUTANTS;
  const workers = Math.max(1, Math.min(Number(option('--workers') ?? 2), mutants.length));
  const copies = Array.from({ length: workers }, copyProject);
  try {
    const failing = await baseline(copies[0]!, mutants, process.argv.includes('--after-suite'));
    if (failing) {
      console.log(`✗ baseline: \`${failing}\` fails without any mutation: fix that first.`);
      return false;
    }
    const problems: string[] = [];
    const queue = [...mutants];
    await Promise.all(
      copies.map(async (work) => {
        for (let mutant = queue.shift(); mutant; mutant = queue.shift()) {
          const applied = apply(work, mutant.edits);
          if ('stale' in applied) {
            problems.push(
              `stale: "${mutant.protection}": ${applied.stale.file} no longer holds the text to remove`,
            );
            console.log(`? ${mutant.protection}: its text is gone from ${applied.stale.file}`);
            continue;
          }
          const caught = !(await passes(work, steps(mutant.check)));
          applied.undo();
          console.log(`${caught ? '✓' : '✗'} ${mutant.protection}  (${describeCheck(mutant.check)})`);
          if (!caught) problems.push(`survivor: removing "${mutant.protection}" fails no test`);
        }
      }),
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    console.log(
      `\n${mutants.length} protections removed one at a time, ${problems.length} not caught (${seconds} s, ${workers} at a time).`,
    );
    for (const problem of problems) console.log(`  ${problem}`);
    return problems.length === 0;
  } finally {
    for (const work of copies) rmSync(work, { recursive: true, force: true });
  }
}

process.exit((await main()) ? 0 : 1);
