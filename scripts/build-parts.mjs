// Builds some parts of the app (main, preload, renderer) as `electron-vite build` builds them, in
// the current folder: the mutation check rebuilds only what a mutant's edits touch.
// Usage: node scripts/build-parts.mjs <part>...
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';

const parts = process.argv.slice(2);
if (!parts.length || parts.some((p) => !['main', 'preload', 'renderer'].includes(p))) {
  console.error('usage: build-parts.mjs main|preload|renderer...');
  process.exit(2);
}
// electron-vite's own build sets this before resolving its configuration.
process.env.NODE_ENV_ELECTRON_VITE = 'production';
const { config } = await resolveConfig({ logLevel: 'error' }, 'build', 'production');
for (const part of parts) await build(config[part]);
