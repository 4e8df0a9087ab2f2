// Loaded with --import before Electronegativity, for two of its dependencies:
// - it requires `commander` without declaring it, and is written for commander 5's API; the
//   project's own (the command line's) is newer and hoisted: its files get the commander 5 that
//   @electron/asar declares, and no one else does;
// - it asks the network (translations, Electron's release list) through `got`, which retries a
//   failed lookup with growing waits: offline that costs ~9 s of nothing. Its files get a `got` that
//   asks once (with internet the answers are the same).
import Module, { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const commander5 = require.resolve('commander', { paths: [require.resolve('@electron/asar')] });
const gotOnce = require.resolve('./electronegativity-got.cjs');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (parent?.filename?.includes('@doyensec/electronegativity')) {
    if (request === 'commander') return commander5;
    if (request === 'got') return gotOnce;
  }
  return resolve.call(this, request, parent, ...rest);
};
