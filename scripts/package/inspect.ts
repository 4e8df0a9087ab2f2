/**
 * Reads a built package into a PackageDescription: app.asar's header, the files beside it in
 * app.asar.unpacked, the fuse wires, and every import of every file the app loads, resolved by
 * Node from a copy of the package extracted to disk (so "resolves" means "resolves to a file of
 * the package", not to something in this checkout).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { extractAll, getRawHeader } from '@electron/asar';
import { getCurrentFuseWire } from '@electron/fuses';
import type { ImportKind, LoadedImport, PackageDescription, PackedFile, Resolution } from './description';
import { findImports } from './find-imports';

type HeaderEntry = { files: Record<string, HeaderEntry> } | { size?: number; unpacked?: boolean };

export interface PackageSizes {
  readonly asarBytes: number;
  readonly unpackedBytes: number;
}

export async function inspectPackage(options: {
  readonly resourcesDir: string;
  readonly executable: string;
  readonly standIn: string;
  readonly configuredFuses: Readonly<Record<string, unknown>>;
  readonly projectPackageJson: string;
  /** An empty temp folder to extract app.asar into. */
  readonly extractDir: string;
}): Promise<{ description: PackageDescription; sizes: PackageSizes }> {
  const asar = join(options.resourcesDir, 'app.asar');
  const unpackedDir = `${asar}.unpacked`;
  const asarFiles = headerFiles(getRawHeader(asar).header);
  const unpackedFiles = listFiles(unpackedDir);
  extractAll(asar, options.extractDir);
  // Resolved paths come back real (symlinks followed), so compare them with the real root.
  const root = realpathSync(options.extractDir);
  const main = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string }).main;
  const project = JSON.parse(readFileSync(options.projectPackageJson, 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return {
    description: {
      asarFiles,
      unpackedFiles,
      imports: loadedImports(root, main),
      fuses: {
        configured: options.configuredFuses,
        standIn: await fuseWire(options.standIn),
        built: await fuseWire(options.executable),
      },
      dependencies: Object.keys(project.dependencies ?? {}),
      devDependencies: Object.keys(project.devDependencies ?? {}),
    },
    sizes: {
      asarBytes: statSync(asar).size,
      unpackedBytes: unpackedFiles.reduce((sum, file) => sum + statSync(join(unpackedDir, file)).size, 0),
    },
  };
}

function headerFiles(entry: HeaderEntry, prefix = ''): PackedFile[] {
  if (!('files' in entry))
    return [{ path: prefix, size: entry.size ?? 0, unpacked: entry.unpacked === true }];
  return Object.entries(entry.files).flatMap(([name, child]) =>
    headerFiles(child, prefix ? `${prefix}/${name}` : name),
  );
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => !entry.isDirectory())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function fuseWire(executable: string): Promise<number[]> {
  const { version: _version, ...fuses } = await getCurrentFuseWire(executable);
  return Object.keys(fuses).map((index) => (fuses as Record<string, number>)[index]!);
}

const SCRIPT = /\.[cm]?js$/;

/**
 * Follows imports from the entry, a round per depth (one `node` child each): scan the files reached
 * last round, resolve their imports, and scan whatever new file they resolved to.
 */
function loadedImports(root: string, entry: string): LoadedImport[] {
  const result: LoadedImport[] = [];
  const seen = new Set([entry]);
  let frontier = [entry];
  while (frontier.length) {
    const found = frontier
      .filter((file) => SCRIPT.test(extname(file)))
      .flatMap((from) =>
        findImports(readFileSync(join(root, from), 'utf8'), from)
          // Electron provides these: they are never files of the package.
          .filter(
            ({ specifier }) => specifier === null || !(isBuiltin(specifier) || specifier === 'electron'),
          )
          .map((imported) => ({ from, ...imported })),
      );
    const resolutions = resolveAll(
      root,
      found.flatMap(({ from, specifier, kind }) =>
        specifier === null ? [] : [{ from: join(root, from), specifier, kind }],
      ),
    );
    let next = 0;
    frontier = [];
    for (const loaded of found) {
      // A computed specifier cannot be resolved; the others come back in order.
      const resolution = loaded.specifier === null ? undefined : resolutions[next++]!;
      result.push(resolution ? { ...loaded, resolution } : loaded);
      if (resolution?.status === 'inside' && !seen.has(resolution.path)) {
        seen.add(resolution.path);
        frontier.push(resolution.path);
      }
    }
  }
  return result;
}

function resolveAll(
  root: string,
  requests: readonly { from: string; specifier: string; kind: ImportKind }[],
): Resolution[] {
  if (!requests.length) return [];
  const child = spawnSync(process.execPath, [join(import.meta.dirname, 'resolve-imports.mjs')], {
    input: JSON.stringify(requests),
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`resolve-imports.mjs failed: ${child.stderr}`);
  const answers = JSON.parse(child.stdout) as ({ path: string } | { error: string })[];
  return answers.map((answer) => {
    if ('error' in answer)
      return { status: 'unresolved', error: answer.error.replaceAll(`${root}${sep}`, '') };
    const inPackage = relative(root, answer.path);
    return inPackage.startsWith('..') || isAbsolute(inPackage)
      ? { status: 'outside', path: answer.path }
      : { status: 'inside', path: inPackage.split(sep).join('/') };
  });
}
