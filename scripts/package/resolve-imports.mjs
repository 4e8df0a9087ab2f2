/**
 * Run by scripts/package/inspect.ts in a plain `node` (no tsx hooks, so resolution is Node's own):
 * reads `[{ from, specifier, kind }]` (absolute importer paths) as JSON on stdin and prints, for
 * each, `{ path }` (the real path it resolves to) or `{ error }`.
 * `import` is resolved the ESM way. import.meta.resolve only answers for the module calling it, so
 * a one-line probe module is written beside each importer. `require` is resolved the CommonJS way,
 * with createRequire(importer).resolve.
 */
import { realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROBE = `.package-check-probe-${process.pid}.mjs`;

const requests = JSON.parse(await new Response(process.stdin).text());
const probes = new Map();

async function esmResolver(from) {
  const dir = dirname(from);
  if (!probes.has(dir)) {
    const file = join(dir, PROBE);
    writeFileSync(file, 'export default (specifier) => import.meta.resolve(specifier);\n');
    probes.set(dir, { file, resolve: (await import(pathToFileURL(file).href)).default });
  }
  return probes.get(dir).resolve;
}

const results = [];
for (const { from, specifier, kind } of requests) {
  try {
    const resolved =
      kind === 'import'
        ? fileURLToPath((await esmResolver(from))(specifier))
        : createRequire(from).resolve(specifier);
    results.push({ path: realpathSync(resolved) });
  } catch (error) {
    // Name the importer, not the probe standing in for it.
    results.push({
      error: String(error.message)
        .split('\n')[0]
        .replaceAll(join(dirname(from), PROBE), from),
    });
  }
}
for (const { file } of probes.values()) rmSync(file);
process.stdout.write(JSON.stringify(results));
