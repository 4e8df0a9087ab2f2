// Electronegativity requires `commander` without declaring it, and is written for commander 5's
// API; the project's own (the command line's) is newer and hoisted. Loaded with --import, this
// hands electronegativity's files the commander 5 that @electron/asar declares, and no one else.
import Module, { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const commander5 = require.resolve('commander', { paths: [require.resolve('@electron/asar')] });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'commander' && parent?.filename?.includes('@doyensec/electronegativity')) return commander5;
  return resolve.call(this, request, parent, ...rest);
};
