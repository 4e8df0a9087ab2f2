/**
 * `npm run package:check` (after `npm run build`): packs the app as a release does, with
 * electron-builder.yml, into its Linux `dir` target (the unpacked app, no installer), using a
 * stand-in for the Electron binary (it cannot be downloaded here, and what we check is what we
 * pack). Then reads the package back and checks it (scripts/package/checks.ts): every run-time
 * file packed, keytar.node unpacked, every import resolving inside the package from
 * `dependencies`, the fuse wire as configured, nothing dev-only packed, no module packed that
 * nothing loads. Prints the package's size. Exits 1 on any failure. The package stays in
 * dist/linux-unpacked: the packaged tests (test/packaged/) boot its main process.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildDir } from './package/build-dir';
import { runChecks, type CheckResult } from './package/checks';
import { inspectPackage, type PackageSizes } from './package/inspect';
import { writeStandInElectron } from './package/stand-in';

const projectDir = join(import.meta.dirname, '..');
const SHOWN_PROBLEMS = 12;

function printCheck({ name, verified, problems }: CheckResult): void {
  if (!problems.length) {
    console.log(`✓ ${name}\n    ${verified}`);
    return;
  }
  console.log(`✗ ${name}`);
  for (const problem of problems.slice(0, SHOWN_PROBLEMS)) console.log(`    - ${problem}`);
  if (problems.length > SHOWN_PROBLEMS) console.log(`    … and ${problems.length - SHOWN_PROBLEMS} more`);
}

const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

function printSizes({ asarBytes, unpackedBytes }: PackageSizes): void {
  console.log(
    `Package size: app.asar ${size(asarBytes)}, app.asar.unpacked ${size(unpackedBytes)}, ` +
      `total ${size(asarBytes + unpackedBytes)} (plus Electron itself)`,
  );
}

async function main(): Promise<boolean> {
  if (!existsSync(join(projectDir, 'out'))) {
    console.log("✗ out/ is missing: run `npm run build` first (the package packs electron-vite's output).");
    return false;
  }
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'package-check-'));
  try {
    const standIn = writeStandInElectron(join(work, 'electron'));
    const { version: electronVersion } = JSON.parse(
      readFileSync(join(projectDir, 'node_modules/electron/package.json'), 'utf8'),
    ) as { version: string };
    const build = await buildDir({
      projectDir,
      electronDist: join(work, 'electron'),
      electronVersion,
      outputDir: join(projectDir, 'dist'),
    });
    const built = performance.now();
    const { description, sizes } = await inspectPackage({
      resourcesDir: build.resourcesDir,
      executable: build.executable,
      standIn,
      configuredFuses: build.electronFuses,
      projectPackageJson: join(projectDir, 'package.json'),
      extractDir: join(work, 'extracted'),
    });
    const results = runChecks(description);
    console.log(`\nPackage check (electron-builder dir target, stand-in Electron ${electronVersion}):`);
    results.forEach(printCheck);
    printSizes(sizes);
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const done = performance.now();
    console.log(
      `Took ${seconds(done - started)} (electron-builder ${seconds(built - started)}, inspection ${seconds(done - built)})`,
    );
    return results.every((result) => !result.problems.length);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const passed = await main().catch((error: unknown) => {
  console.log(
    `✗ packaging failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return false;
});
// Exit explicitly: electron-builder's temp-file cleanup (async-exit-hook) calls process.exit(0)
// on beforeExit, which would turn a failed check into a success.
process.exit(passed ? 0 : 1);
