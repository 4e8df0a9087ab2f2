/**
 * Where mutants run: one copy of the project per worker, serving every mutant it is given (edits
 * applied, then undone), sharing node_modules and one base build, the app's out/ and its package
 * (dist/linux-unpacked: the suite's own in the test command). A mutant of the app rebuilds only the
 * parts its edits touch (about a second for main, less for the others), and the packaged checks
 * get the base package's app.asar with just those parts swapped in, instead of electron-builder.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createPackageWithOptions, extractAll } from '@electron/asar';
import type { Edit } from './mutants';

export type Part = 'main' | 'preload' | 'renderer';
const PARTS: readonly Part[] = ['main', 'preload', 'renderer'];

/** The package's app.asar, under a folder that VAULT_PACKAGE_DIR can name (as dist/ is). */
export const ASAR_IN_PACKAGE = 'linux-unpacked/resources/app.asar';

/**
 * The parts of the app built from these files. The renderer may import only the contract and the
 * expiry maths from electron/ (ESLint holds it to that), which the preload shares; main bundles
 * the rest of electron/. A file outside these builds (a test, a script, the packaging config)
 * needs no rebuild.
 */
export function partsBuiltFrom(files: readonly string[]): Part[] {
  const parts = new Set<Part>();
  for (const file of files) {
    if (file.startsWith('renderer/')) parts.add('renderer');
    else if (file === 'electron/contract.ts' || file.startsWith('electron/core/expiry/')) {
      PARTS.forEach((p) => parts.add(p));
    } else if (file.startsWith('electron/preload/') || file === 'electron/channels.ts') {
      parts.add('preload').add('main');
    } else if (file.startsWith('electron/')) parts.add('main');
  }
  return PARTS.filter((p) => parts.has(p));
}

/** A base build: the app's out/ and its packed app.asar, extracted once for the swaps. */
export interface Base {
  readonly outDir: string;
  readonly packageDir: string;
  readonly extracted: string;
}

export function baseBuild(projectDir: string, scratch: string): Base {
  const packageDir = join(projectDir, 'dist');
  const extracted = join(scratch, 'package-base');
  extractAll(join(packageDir, ASAR_IN_PACKAGE), extracted);
  return { outDir: join(projectDir, 'out'), packageDir, extracted };
}

/** The project's files (tracked and new, not ignored) in a temp folder, sharing node_modules. */
export function copyProject(projectDir: string): string {
  const work = mkdtempSync(join(tmpdir(), 'vault-mutants-'));
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: projectDir,
    encoding: 'utf8',
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    mkdirSync(dirname(join(work, file)), { recursive: true });
    try {
      writeFileSync(join(work, file), readFileSync(join(projectDir, file)));
    } catch {
      // Listed but deleted in the working tree: nothing to copy.
    }
  }
  symlinkSync(join(projectDir, 'node_modules'), join(work, 'node_modules'), 'junction');
  return work;
}

/** Gives a copy the base build's out/ (or back the base's parts after a mutant rebuilt them). */
export function restoreParts(work: string, base: Base, parts: readonly Part[] = PARTS): void {
  for (const part of parts) {
    rmSync(join(work, 'out', part), { recursive: true, force: true });
    cpSync(join(base.outDir, part), join(work, 'out', part), { recursive: true });
  }
}

/**
 * The base package with the copy's freshly built parts in place of its own, packed as
 * electron-builder packs it (native modules unpacked beside the archive) into `.mutant/<name>`;
 * answers the folder to give the packaged tests (VAULT_PACKAGE_DIRS).
 */
export async function packageWithParts(
  work: string,
  base: Base,
  parts: readonly Part[],
  name: string,
): Promise<string> {
  if (!parts.length) return base.packageDir;
  const stage = join(work, '.mutant', 'stage');
  const packageDir = join(work, '.mutant', name);
  rmSync(stage, { recursive: true, force: true });
  rmSync(packageDir, { recursive: true, force: true });
  cpSync(base.extracted, stage, { recursive: true });
  for (const part of parts) {
    rmSync(join(stage, 'out', part), { recursive: true, force: true });
    cpSync(join(work, 'out', part), join(stage, 'out', part), { recursive: true });
  }
  const asar = join(packageDir, ASAR_IN_PACKAGE);
  mkdirSync(dirname(asar), { recursive: true });
  await createPackageWithOptions(stage, asar, { unpack: '*.node' });
  return packageDir;
}

/** Applies the edits; answers how to undo them, or the edit whose text is not there exactly once. */
export function applyEdits(work: string, edits: readonly Edit[]): { undo(): void } | { stale: Edit } {
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

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'vault-mutation-'));
}
