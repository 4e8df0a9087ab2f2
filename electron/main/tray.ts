/**
 * The tray icon and its menu, drawn from the core's TrayModel (electron/core/tray-model.ts decides
 * what to show; this only turns it into Tray and Menu calls). Electron's classes are injected, and
 * only their types are imported, so the unit tests drive it with recording stand-ins in Node.
 */
import { join } from 'node:path';
import type { TokenRef } from '@contract';
import type { TrayModel, TrayState } from '@core/tray-model';

/** What the tray needs of a nativeImage. */
export interface TrayImage {
  setTemplateImage(option: boolean): void;
}

/** The part of MenuItemConstructorOptions the tray uses (a click needs no arguments here). */
export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator';
  enabled?: boolean;
  click?: () => void;
}

export interface TrayHandle<Image, Menu> {
  setImage(image: Image): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: Menu): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

/** `{ Tray, Menu, nativeImage }` from 'electron', or stand-ins. */
export interface TrayParts<Image extends TrayImage, Menu> {
  // Image is what nativeImage makes; the Tray takes it (NoInfer: Electron's Tray also takes paths).
  Tray: new (image: NoInfer<Image>) => TrayHandle<NoInfer<Image>, Menu>;
  Menu: { buildFromTemplate(template: TrayMenuItem[]): Menu };
  nativeImage: { createFromPath(path: string): Image };
}

export interface TrayActions {
  onCopy(ref: TokenRef): void;
  onOpen(): void;
  onRefresh(): void;
  onPause(): void;
  onResume(): void;
  onQuit(): void;
}

export interface TrayOptions extends TrayActions {
  /** What to draw first. */
  model: TrayModel;
  /** Where tray-*.png and trayTemplate.png are (the @2x variants beside them are picked up by Electron). */
  iconsDir: string;
  platform: NodeJS.Platform;
}

export interface VaultTray {
  /** Redraws icon, tooltip and menu (nothing when the model is unchanged). */
  update(model: TrayModel): void;
  destroy(): void;
}

export function createTray<Image extends TrayImage, Menu>(
  parts: TrayParts<Image, Menu>,
  options: TrayOptions,
): VaultTray {
  const images = new Map<string, Image>();
  const image = (state: TrayState): Image => {
    const file = trayIconFile(state, options.platform);
    let loaded = images.get(file);
    if (!loaded) {
      loaded = parts.nativeImage.createFromPath(join(options.iconsDir, file));
      // macOS draws a template image in the menu bar's own colour (dark or light).
      if (file === TEMPLATE_ICON) loaded.setTemplateImage(true);
      images.set(file, loaded);
    }
    return loaded;
  };

  const tray = new parts.Tray(image(options.model.state));
  // macOS opens the menu on click, as menu bar items do; elsewhere a click opens the window.
  if (options.platform !== 'darwin') tray.on('click', () => options.onOpen());

  let drawn = '';
  const draw = (model: TrayModel) => {
    const key = JSON.stringify(model);
    if (key === drawn) return;
    drawn = key;
    tray.setImage(image(model.state));
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(parts.Menu.buildFromTemplate(trayMenuTemplate(model, options)));
  };
  draw(options.model);

  return { update: draw, destroy: () => tray.destroy() };
}

const TEMPLATE_ICON = 'trayTemplate.png';

/** The icon file for a state: on macOS the "all is well" icon is a monochrome template. */
export function trayIconFile(state: TrayState, platform: NodeJS.Platform): string {
  return platform === 'darwin' && state === 'ok' ? TEMPLATE_ICON : `tray-${state}.png`;
}

export function trayMenuTemplate(model: TrayModel, actions: TrayActions): TrayMenuItem[] {
  const tokens: TrayMenuItem[] = model.groups.flatMap((group) => [
    { label: menuText(group.accountLabel), enabled: false },
    ...group.tokens.map((token) => ({
      label: menuText(`Copy ${token.label}`),
      enabled: token.canCopy,
      click: () => actions.onCopy(token.ref),
    })),
  ]);
  const separator: TrayMenuItem = { type: 'separator' };
  return [
    ...(tokens.length ? tokens : [{ label: 'No token expires soon', enabled: false }]),
    separator,
    { label: 'Open vault', click: () => actions.onOpen() },
    { label: 'Refresh all', click: () => actions.onRefresh() },
    model.paused
      ? { label: 'Resume notifications', click: () => actions.onResume() }
      : { label: 'Pause notifications for 1 hour', click: () => actions.onPause() },
    separator,
    { label: 'Quit', click: () => actions.onQuit() },
  ];
}

/** Electron reads "&" in a menu label as a mnemonic marker (and drops it); a name means it literally. */
export function menuText(text: string): string {
  return text.replaceAll('&', '&&');
}
