import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// One build for the three sibling parts (electron-vite's layout): main and preload for Node /
// Electron, the renderer for the browser. Only keytar (native) stays external to main: zod and the rest are bundled, so the package ships one runtime module.
export default defineConfig({
  main: {
    // gitbeaker's rate limiter without the database limiters it never uses (see the file).
    resolve: {
      tsconfigPaths: true,
      alias: [
        { find: /^rate-limiter-flexible$/, replacement: resolve('electron/vendor/rate-limiter-flexible.ts') },
      ],
    },
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve('electron/main/index.ts') } },
    },
  },
  preload: {
    resolve: { tsconfigPaths: true },
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    resolve: { tsconfigPaths: true },
    build: {
      outDir: resolve('out/renderer'),
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
