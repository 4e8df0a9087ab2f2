/**
 * Bundles the command line (electron/cli/main.ts) into one executable ES module for plain Node:
 * out/cli/token-vault.mjs, package.json's `bin`. Only keytar stays outside (a native module, and a
 * dependency of the package); commander, zod and the core's parts are inside.
 */
import { chmod } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { build } from 'esbuild';

export const CLI_OUTFILE = 'out/cli/token-vault.mjs';
const projectDir = join(import.meta.dirname, '..');

/**
 * Builds the CLI into `outfile` (relative to the project, or absolute); answers its path. keytar
 * is found from where the file is, so it must sit inside the project (or next to its node_modules).
 */
export async function buildCli(outfile: string = CLI_OUTFILE): Promise<string> {
  const target = isAbsolute(outfile) ? outfile : join(projectDir, outfile);
  await build({
    absWorkingDir: projectDir,
    entryPoints: ['electron/cli/main.ts'],
    outfile: target,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['keytar'],
    legalComments: 'none',
    logLevel: 'warning',
    banner: {
      js: [
        '#!/usr/bin/env node',
        // A CommonJS dependency's require() of a Node built-in needs a real require in an ES module.
        "import { createRequire as __cliCreateRequire } from 'node:module';",
        'const require = __cliCreateRequire(import.meta.url);',
      ].join('\n'),
    },
  });
  await chmod(target, 0o755);
  return target;
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  console.log(`built ${await buildCli()}`);
}
