/**
 * The files the packaged app loads at run time, so the package check can require each of them in
 * app.asar. The tray icons come from the code that picks them (trayIconFile) over every TrayState
 * and every platform we ship, so a new state cannot be forgotten here.
 */
import type { TrayState } from '@core/tray-model';
import { trayIconFile } from '../../electron/main/tray';

export interface RuntimeFile {
  /** Relative to the app root. */
  readonly path: string;
  /** Who loads it, for the failure message. */
  readonly why: string;
}

// `satisfies` fails the typecheck when TrayState gains (or loses) a state.
const TRAY_STATES = Object.keys({ ok: true, expiring: true, expired: true } satisfies Record<
  TrayState,
  true
>) as TrayState[];

/** electron-builder.yml builds for these (mac, win, linux). */
const PLATFORMS: readonly NodeJS.Platform[] = ['darwin', 'win32', 'linux'];

/** electron/main/index.ts passes `join(app.getAppPath(), 'assets')` as the tray's iconsDir. */
const ICONS_DIR = 'assets';

function trayIcons(): RuntimeFile[] {
  const uses = new Map<string, { states: Set<TrayState>; platforms: Set<NodeJS.Platform> }>();
  for (const state of TRAY_STATES) {
    for (const platform of PLATFORMS) {
      const file = trayIconFile(state, platform);
      // Electron's nativeImage picks the @2x file beside it on a 2x screen.
      for (const name of [file, file.replace(/\.png$/, '@2x.png')]) {
        const use = uses.get(name) ?? { states: new Set(), platforms: new Set() };
        uses.set(name, { states: use.states.add(state), platforms: use.platforms.add(platform) });
      }
    }
  }
  return [...uses].map(([name, { states, platforms }]) => ({
    path: `${ICONS_DIR}/${name}`,
    why: `the tray icon for state ${[...states].join(', ')} on ${[...platforms].join(', ')}`,
  }));
}

export const RUNTIME_FILES: readonly RuntimeFile[] = [
  { path: 'package.json', why: 'Electron reads `main` from it' },
  { path: 'out/main/index.js', why: 'the main process' },
  { path: 'out/preload/index.cjs', why: "the window's preload" },
  { path: 'out/renderer/index.html', why: 'the page the window loads' },
  ...trayIcons(),
  { path: `${ICONS_DIR}/icon.png`, why: 'the app icon' },
];
