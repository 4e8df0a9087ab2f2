/**
 * The Electron adapters (tray, notifier, clipboard) driven in Node with recording stand-ins of
 * Electron's Tray, Menu, nativeImage, Notification, clipboard and ClipboardItem.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_DEFAULTS, type Settings, type TokenView } from '@contract';
import { createCore } from '@core/create-core';
import { DAY_MS, HOUR_MS } from '@shared/expiry';
import type { Logger } from '@core/ports';
import { MemorySecretStore } from '@core/storage/memory-store';
import { trayModel, type TrayModel } from '@core/tray-model';
import type { AccountRecord, Metadata } from '@core/storage/schema';
import {
  createElectronClipboard,
  createElectronNotifier,
  osFormat,
  sensitiveClipboardFormats,
  type ClipboardPayload,
  type NotificationHandle,
} from '../../electron/main/services';
import {
  createTray,
  trayIconFile,
  type TrayActions,
  type TrayHandle,
  type TrayMenuItem,
  type TrayParts,
} from '../../electron/main/tray';
import { FakeClock } from '../support/fake-clock';
import { MemoryClipboard } from '../support/memory-clipboard';

const NOW = Date.UTC(2026, 10, 25, 9, 0, 0);
const ICONS = '/app/assets';
const quietLog: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

// ---------------------------------------------------------------------------------------------
// A vault with two accounts, built into a TrayModel by the core's own trayModel().

function account(id: string, label: string): AccountRecord {
  return {
    id,
    kind: 'server',
    label,
    baseUrl: 'https://sq.example.com',
    login: 'ada',
    userName: 'Ada',
    isAdmin: false,
    serverVersion: '2025.1',
    addedAt: NOW - 30 * DAY_MS,
  };
}

function token(accountId: string, name: string, expiresIn: number): TokenView {
  return {
    accountId,
    name,
    createdAt: NOW - DAY_MS,
    lastUsedAt: null,
    expiresAt: NOW + expiresIn,
    expiryBasis: 'fixed',
    serverSaysExpired: false,
    inVault: false,
    onServer: true,
    keepAlive: false,
  };
}

function twoAccounts(settings: Partial<Settings> = {}): Metadata {
  return {
    version: 1,
    accounts: [account('acct-cloud-eu', 'Cloud EU · acme'), account('acct-server', 'R&D Server')],
    // The vault holds the values of ci-main and deploy, not nightly's.
    tokens: [
      { accountId: 'acct-cloud-eu', name: 'ci-main', storedAt: NOW },
      { accountId: 'acct-server', name: 'deploy', storedAt: NOW },
    ],
    settings: { ...SETTINGS_DEFAULTS, ...settings },
    snapshots: {
      'acct-cloud-eu': {
        refreshedAt: NOW,
        tokens: [
          token('acct-cloud-eu', 'ci-main', 3 * DAY_MS),
          token('acct-cloud-eu', 'nightly', 20 * DAY_MS),
        ],
      },
      'acct-server': { refreshedAt: NOW, tokens: [token('acct-server', 'deploy', 2 * HOUR_MS)] },
    },
    notices: {},
    setAside: [],
  };
}

const emptyVault = (): Metadata => ({ ...twoAccounts(), accounts: [], tokens: [], snapshots: {} });

// ---------------------------------------------------------------------------------------------
// Recording stand-ins of Tray, Menu and nativeImage.

class FakeImage {
  template = false;
  constructor(readonly path: string) {}
  setTemplateImage(option: boolean): void {
    this.template = option;
  }
}

class FakeMenu {
  constructor(readonly items: TrayMenuItem[]) {}
}

class FakeTray implements TrayHandle<FakeImage, FakeMenu> {
  toolTip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  readonly listeners = new Map<string, () => void>();
  constructor(public image: FakeImage) {}
  setImage(image: FakeImage): void {
    this.image = image;
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  setContextMenu(menu: FakeMenu): void {
    this.menu = menu;
  }
  on(event: string, listener: () => void): this {
    this.listeners.set(event, listener);
    return this;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function trayStandIns() {
  const trays: FakeTray[] = [];
  const templates: TrayMenuItem[][] = [];
  const imagePaths: string[] = [];
  const parts: TrayParts<FakeImage, FakeMenu> = {
    Tray: class extends FakeTray {
      constructor(image: FakeImage) {
        super(image);
        trays.push(this);
      }
    },
    Menu: {
      buildFromTemplate(template) {
        templates.push(template);
        return new FakeMenu(template);
      },
    },
    nativeImage: {
      createFromPath(path) {
        imagePaths.push(path);
        return new FakeImage(path);
      },
    },
  };
  const actions: string[] = [];
  const handlers: TrayActions = {
    onCopy: (ref) => actions.push(`copy ${ref.accountId}/${ref.name}`),
    onOpen: () => actions.push('open'),
    onRefresh: () => actions.push('refresh'),
    onPause: () => actions.push('pause'),
    onResume: () => actions.push('resume'),
    onQuit: () => actions.push('quit'),
  };
  const open = (model: TrayModel, platform: NodeJS.Platform = 'linux') => {
    const vaultTray = createTray(parts, { ...handlers, model, iconsDir: ICONS, platform });
    const tray = trays.at(-1)!;
    return { vaultTray, tray, menu: () => tray.menu!.items };
  };
  return { open, templates, imagePaths, actions };
}

/** A menu as text: "label", "label [disabled]", or "---" for a separator. */
const describeMenu = (items: TrayMenuItem[]) =>
  items.map((i) =>
    i.type === 'separator' ? '---' : `${i.label}${i.enabled === false ? ' [disabled]' : ''}`,
  );

const click = (items: TrayMenuItem[], label: string) => {
  const item = items.find((i) => i.label === label);
  if (!item?.click) throw new Error(`no clickable "${label}" in the menu`);
  item.click();
};

// ---------------------------------------------------------------------------------------------

describe('tray', () => {
  it('lists the soonest tokens by account, then the actions, in order', () => {
    const { open } = trayStandIns();
    const { menu } = open(trayModel(twoAccounts(), NOW));
    expect(describeMenu(menu())).toEqual([
      'R&&D Server [disabled]',
      'Copy deploy (2 hours)',
      'Cloud EU · acme [disabled]',
      'Copy ci-main (3 days)',
      'Copy nightly (20 days) [disabled]',
      '---',
      'Open vault',
      'Refresh all',
      'Pause notifications for 1 hour',
      '---',
      'Quit',
    ]);
  });

  it('each item calls its handler, Copy with its own token', () => {
    const { open, actions } = trayStandIns();
    const { menu } = open(trayModel(twoAccounts(), NOW));
    for (const label of ['Copy deploy (2 hours)', 'Copy ci-main (3 days)', 'Open vault', 'Refresh all'])
      click(menu(), label);
    click(menu(), 'Pause notifications for 1 hour');
    click(menu(), 'Quit');
    expect(actions).toEqual([
      'copy acct-server/deploy',
      'copy acct-cloud-eu/ci-main',
      'open',
      'refresh',
      'pause',
      'quit',
    ]);
  });

  it('says so when no token expires soon', () => {
    const { open } = trayStandIns();
    const { menu, tray } = open(trayModel(emptyVault(), NOW));
    expect(describeMenu(menu()).slice(0, 2)).toEqual(['No token expires soon [disabled]', '---']);
    expect(tray.toolTip).toBe('Token Vault for SonarQube\nNo token expires soon');
  });

  it('the icon follows the state', () => {
    const { open } = trayStandIns();
    const { tray, vaultTray } = open(trayModel(emptyVault(), NOW));
    expect(tray.image.path).toBe(join(ICONS, 'tray-ok.png'));
    vaultTray.update(trayModel(twoAccounts(), NOW));
    expect(tray.image.path).toBe(join(ICONS, 'tray-expiring.png'));
    vaultTray.update(trayModel(twoAccounts(), NOW + 3 * HOUR_MS));
    expect(tray.image.path).toBe(join(ICONS, 'tray-expired.png'));
    expect(tray.image.template).toBe(false);
  });

  it('on macOS "all is well" is a template image, the warnings keep their colour', () => {
    const { open } = trayStandIns();
    const { tray, vaultTray } = open(trayModel(emptyVault(), NOW), 'darwin');
    expect(tray.image).toMatchObject({ path: join(ICONS, 'trayTemplate.png'), template: true });
    vaultTray.update(trayModel(twoAccounts(), NOW));
    expect(tray.image).toMatchObject({ path: join(ICONS, 'tray-expiring.png'), template: false });
  });

  it('loads each icon once', () => {
    const { open, imagePaths } = trayStandIns();
    const { vaultTray } = open(trayModel(emptyVault(), NOW));
    vaultTray.update(trayModel(twoAccounts(), NOW));
    vaultTray.update(trayModel(emptyVault(), NOW));
    expect(imagePaths).toEqual([join(ICONS, 'tray-ok.png'), join(ICONS, 'tray-expiring.png')]);
  });

  it('update() replaces the tooltip and the menu, and skips an unchanged model', () => {
    const { open, templates } = trayStandIns();
    const { tray, vaultTray, menu } = open(trayModel(emptyVault(), NOW));
    const first = tray.menu;
    vaultTray.update(trayModel(twoAccounts(), NOW));
    expect(tray.menu).not.toBe(first);
    expect(menu()[0]?.label).toBe('R&&D Server');
    expect(tray.toolTip).toBe('Token Vault for SonarQube\nSoonest: deploy (R&D Server) in 2 hours');
    vaultTray.update(trayModel(twoAccounts(), NOW));
    expect(templates).toHaveLength(2);
  });

  it('pause flips to resume while notifications are paused', () => {
    const { open, actions } = trayStandIns();
    const { menu, vaultTray } = open(trayModel(twoAccounts(), NOW));
    expect(describeMenu(menu())).toContain('Pause notifications for 1 hour');
    vaultTray.update(trayModel(twoAccounts({ notificationsPausedUntil: NOW + HOUR_MS }), NOW));
    expect(describeMenu(menu())).not.toContain('Pause notifications for 1 hour');
    click(menu(), 'Resume notifications');
    expect(actions).toEqual(['resume']);
  });

  it('a click on the icon opens the vault, except on macOS where it opens the menu', () => {
    const { open, actions } = trayStandIns();
    open(trayModel(emptyVault(), NOW), 'win32').tray.listeners.get('click')?.();
    expect(actions).toEqual(['open']);
    expect(open(trayModel(emptyVault(), NOW), 'darwin').tray.listeners.has('click')).toBe(false);
  });

  it('destroy() removes the icon', () => {
    const { open } = trayStandIns();
    const { tray, vaultTray } = open(trayModel(emptyVault(), NOW));
    vaultTray.destroy();
    expect(tray.destroyed).toBe(true);
  });

  it('every icon it can ask for is in assets/, with its @2x', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const state of ['ok', 'expiring', 'expired'] as const) {
        const file = trayIconFile(state, platform);
        expect(existsSync(join('assets', file)), file).toBe(true);
        expect(existsSync(join('assets', file.replace('.png', '@2x.png'))), file).toBe(true);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('notifier', () => {
  function notificationStandIn(supported = true) {
    const shown: FakeNotification[] = [];
    class FakeNotification implements NotificationHandle {
      static isSupported = () => supported;
      readonly listeners = new Map<string, () => void>();
      constructor(readonly options: { title: string; body: string; silent?: boolean }) {}
      on(event: string, listener: () => void): this {
        this.listeners.set(event, listener);
        return this;
      }
      show(): void {
        shown.push(this);
      }
      emit(event: string): void {
        this.listeners.get(event)?.();
      }
    }
    return { Notification: FakeNotification, shown };
  }

  it("shows the core's title and body, and a click calls onClick", () => {
    const { Notification, shown } = notificationStandIn();
    let clicks = 0;
    createElectronNotifier({ Notification }).notify({
      title: 'A token expires in 1 day',
      body: 'ci-main (Cloud EU · acme)',
      onClick: () => clicks++,
    });
    expect(shown.map((n) => n.options)).toEqual([
      { title: 'A token expires in 1 day', body: 'ci-main (Cloud EU · acme)', silent: false },
    ]);
    expect(clicks).toBe(0);
    shown[0]!.emit('click');
    expect(clicks).toBe(1);
  });

  it('a click without onClick does nothing; an unsupported platform shows nothing', () => {
    const supported = notificationStandIn();
    createElectronNotifier(supported).notify({ title: 't', body: 'b' });
    expect(() => supported.shown[0]!.emit('click')).not.toThrow();
    const unsupported = notificationStandIn(false);
    createElectronNotifier(unsupported).notify({ title: 't', body: 'b' });
    expect(unsupported.shown).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('clipboard', () => {
  class FakeItem {
    constructor(readonly data: Record<string, ClipboardPayload>) {}
  }

  function clipboardStandIn(write: (items: FakeItem[]) => Promise<void> = () => Promise.resolve()) {
    const writes: FakeItem[][] = [];
    const plainWrites: string[] = [];
    let text = '';
    let cleared = 0;
    const clipboard = {
      readText: () => Promise.resolve(text),
      writeText: (value: string) => {
        plainWrites.push(value);
        text = value;
        return Promise.resolve();
      },
      write: async (items: FakeItem[]) => {
        writes.push(items);
        await write(items);
        const plain = items[0]?.data['text/plain'];
        text = typeof plain === 'string' ? plain : '';
      },
      clear: () => void cleared++,
    };
    return { parts: { clipboard, ClipboardItem: FakeItem }, writes, plainWrites, cleared: () => cleared };
  }

  const dwordZero = async (payload: ClipboardPayload | undefined) =>
    payload instanceof Blob ? [...new Uint8Array(await payload.arrayBuffer())] : payload;

  it('macOS: the text goes with the concealed and transient markers, in one item', async () => {
    const { parts, writes } = clipboardStandIn();
    await createElectronClipboard(parts, 'darwin').writeText('squ_value');
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(1);
    expect(Object.keys(writes[0]![0]!.data).sort()).toEqual(
      [
        'text/plain',
        'electron application/osclipboard;format="org.nspasteboard.ConcealedType"',
        'electron application/osclipboard;format="org.nspasteboard.TransientType"',
      ].sort(),
    );
    expect(writes[0]![0]!.data['text/plain']).toBe('squ_value');
  });

  it('Windows: kept out of monitors, history and cloud sync (a DWORD 0 each)', async () => {
    const { parts, writes } = clipboardStandIn();
    await createElectronClipboard(parts, 'win32').writeText('squ_value');
    const data = writes[0]![0]!.data;
    expect(data['text/plain']).toBe('squ_value');
    for (const format of [
      'ExcludeClipboardContentFromMonitorProcessing',
      'CanIncludeInClipboardHistory',
      'CanUploadToCloudClipboard',
    ]) {
      expect(await dwordZero(data[osFormat(format)]), format).toEqual([0, 0, 0, 0]);
    }
    expect(Object.keys(data)).toHaveLength(4);
  });

  it("Linux: KDE's password manager hint", async () => {
    const { parts, writes } = clipboardStandIn();
    await createElectronClipboard(parts, 'linux').writeText('squ_value');
    expect(writes[0]![0]!.data).toEqual({
      'text/plain': 'squ_value',
      'electron application/osclipboard;format="x-kde-passwordManagerHint"': 'secret',
    });
  });

  it('the markers never carry the value', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      expect(JSON.stringify(sensitiveClipboardFormats(platform))).not.toContain('squ_');
    }
  });

  it('falls back to plain text when the write with markers is refused', async () => {
    const { parts, writes, plainWrites } = clipboardStandIn(() =>
      Promise.reject(new Error('unknown clipboard format')),
    );
    const port = createElectronClipboard(parts, 'win32');
    await port.writeText('squ_value');
    expect(writes).toHaveLength(1);
    expect(plainWrites).toEqual(['squ_value']);
    expect(await port.readText()).toBe('squ_value');
  });

  it('falls back too when the item itself cannot be made', async () => {
    const { parts, plainWrites } = clipboardStandIn();
    const refusing = {
      ...parts,
      ClipboardItem: class {
        constructor() {
          throw new TypeError('bad format');
        }
      },
    };
    await createElectronClipboard(refusing, 'darwin').writeText('squ_value');
    expect(plainWrites).toEqual(['squ_value']);
  });

  it("reads and clears through Electron's clipboard", async () => {
    const { parts, cleared } = clipboardStandIn();
    const port = createElectronClipboard(parts, 'linux');
    await port.writeText('squ_value');
    expect(await port.readText()).toBe('squ_value');
    await port.clear();
    expect(cleared()).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------

describe('createCore', () => {
  it('tells the host after each expiry evaluation (the tray redraws)', async () => {
    let evaluations = 0;
    const core = createCore({
      dataDir: await mkdtemp(join(tmpdir(), 'vault-adapters-')),
      secrets: new MemorySecretStore(),
      clipboard: new MemoryClipboard(),
      fetch: () => Promise.reject(new Error('offline')),
      clock: new FakeClock(NOW),
      log: quietLog,
      onExpiryEvaluated: () => evaluations++,
    });
    await core.watcher.start();
    await core.watcher.replan('resume');
    expect(evaluations).toBe(2);
    core.stop();
  });
});
