// `node --import tsx --import <this file> <app>/out/main/index.js`: the app's `import … from
// 'electron'` gets the double (electron.ts) instead of the Electron runtime, which only exists
// inside the Electron binary.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
