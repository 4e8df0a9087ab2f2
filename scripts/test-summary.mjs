// The closing report of the test command: each stage's wall time against its budget, the 10
// slowest tests of each runner (a slow test is seen the day it lands), what the real-Electron tests
// ran, and one line of counts. Reads test-results/stages.tsv (scripts/test.sh) and the vitest and
// Playwright JSON reports. Exits 1 when a runner did not report or a test failed.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** Every line is printed, and kept for the CI run's page (GITHUB_STEP_SUMMARY) when there is one. */
const report = [];
const say = (line) => {
  console.log(line);
  report.push(line);
};

/** Budgets in seconds, on the 2-core machine the README's figures come from. */
const BUDGET = { vitest: 120, playwright: 180, 'mutation check': 180, total: 600 };
const SLOWEST = 10;

const read = (path) => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    console.error(`No report at ${path}: that runner did not finish.`);
    return null;
  }
};
const seconds = (ms) => {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const whole = Math.round(ms / 1000);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
};
const clip = (text, width) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

// ------------------------------------------------------------------ stages
const stages = existsSync('test-results/stages.tsv')
  ? readFileSync('test-results/stages.tsv', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name, ms, status] = line.split('\t');
        return { name, ms: Number(ms), status };
      })
  : [];
if (stages.length) {
  say('\nStages (wall time; typecheck, electronegativity and workflows run beside lint):');
  for (const { name, ms, status } of stages) {
    const budget = BUDGET[name];
    const notes = [
      status === 'skipped' ? 'skipped' : status !== '0' ? 'FAILED' : '',
      budget && ms > budget * 1000
        ? `over its ${budget >= 120 ? `${budget / 60} min` : `${budget} s`} budget`
        : '',
    ].filter(Boolean);
    const label = name === 'total' ? 'the whole test command' : name;
    say(`  ${label.padEnd(28)} ${seconds(ms).padStart(12)}${notes.length ? `  (${notes.join(', ')})` : ''}`);
  }
}

// ------------------------------------------------------------------ the runners' reports
const vitest = read('test-results/vitest.json');
const playwright = read('test-results/playwright.json');
let passed = 0;
let failed = 0;
let skipped = 0;

/** [ms, name] of every vitest test. */
const vitestTimes = [];
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + vitest.numTodoTests;
  for (const file of vitest.testResults) {
    const path = file.name.slice(process.cwd().length + 1);
    for (const test of file.assertionResults)
      vitestTimes.push([test.duration ?? 0, `${path} › ${test.title}`]);
  }
}

const playwrightTimes = [];
const electron = { ran: [], skipped: new Set() };
if (playwright) {
  passed += playwright.stats.expected + playwright.stats.flaky;
  failed += playwright.stats.unexpected;
  skipped += playwright.stats.skipped;
  const reasons = new Set();
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const skip = test.annotations.find((a) => a.type === 'skip');
        if (skip?.description) reasons.add(skip.description);
        const ms = test.results.reduce((sum, r) => sum + r.duration, 0);
        const name = `${test.projectName}: ${spec.file} › ${spec.title}`;
        if (test.results.length) playwrightTimes.push([ms, name]);
        if (test.projectName === 'electron') {
          if (test.status === 'skipped') electron.skipped.add(skip?.description ?? 'skipped');
          else electron.ran.push(`${test.status === 'expected' ? '✓' : '✗'} ${spec.file} › ${spec.title}`);
        }
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of playwright.suites) walk(suite);
  for (const reason of reasons) say(`skipped: ${reason}`);
}

for (const [runner, times] of [
  ['vitest', vitestTimes],
  ['Playwright', playwrightTimes],
]) {
  if (!times.length) continue;
  say(`\nThe ${SLOWEST} slowest tests (${runner}):`);
  for (const [ms, name] of times.sort((a, b) => b[0] - a[0]).slice(0, SLOWEST)) {
    say(`  ${seconds(ms).padStart(8)}  ${clip(name, 110)}`);
  }
}

if (playwright) {
  say('\nReal Electron (test/electron):');
  for (const line of electron.ran) say(`  ${line}`);
  for (const reason of electron.skipped) say(`  skipped: ${reason}`);
}

say(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (process.env['GITHUB_STEP_SUMMARY']) {
  appendFileSync(process.env['GITHUB_STEP_SUMMARY'], `\`\`\`\n${report.join('\n').trim()}\n\`\`\`\n`);
}
process.exit(vitest && playwright && failed === 0 ? 0 : 1);
