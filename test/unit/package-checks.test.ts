/**
 * The package checks (scripts/package/checks.ts) on described packages: each passes on a sound
 * package and fails, naming the problem and its fix, when its condition breaks. `npm run
 * package:check` runs them on the real package built by electron-builder.
 */
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import {
  bareImportsFromDependencies,
  fusesAsConfigured,
  fusesSecure,
  KEYTAR_NODE,
  modulesMatchWhatIsLoaded,
  nativeModulesUnpacked,
  noDevOnlyFiles,
  packageDir,
  packageName,
  runChecks,
  runtimeFilesPacked,
} from '../../scripts/package/checks';
import type { LoadedImport, PackageDescription, PackedFile } from '../../scripts/package/description';
import { findImports } from '../../scripts/package/find-imports';
import { RUNTIME_FILES } from '../../scripts/package/runtime-files';

const ON = 0x31;
const OFF = 0x30;
const KEYTAR_JS = 'node_modules/keytar/lib/keytar.js';

const keytarImport: LoadedImport = {
  from: 'out/main/index.js',
  line: 8167,
  kind: 'require',
  specifier: 'keytar',
  resolution: { status: 'inside', path: KEYTAR_JS },
};

const packed = (path: string, unpacked = false): PackedFile => ({ path, size: 100, unpacked });

/** What the real package looks like (see `npm run package:check`). */
const sound: PackageDescription = {
  asarFiles: [
    ...RUNTIME_FILES.map((file) => packed(file.path)),
    packed('out/renderer/assets/index-CFN2pTYd.css'),
    packed('out/renderer/assets/index-DYrv_gts.js'),
    packed('node_modules/keytar/LICENSE.md', true),
    packed('node_modules/keytar/package.json', true),
    packed(KEYTAR_JS, true),
    packed(KEYTAR_NODE, true),
  ],
  unpackedFiles: [
    'node_modules/keytar/LICENSE.md',
    'node_modules/keytar/package.json',
    KEYTAR_JS,
    KEYTAR_NODE,
  ],
  imports: [
    keytarImport,
    {
      from: KEYTAR_JS,
      line: 1,
      kind: 'require',
      specifier: '../build/Release/keytar.node',
      resolution: { status: 'inside', path: KEYTAR_NODE },
    },
  ],
  fuses: {
    configured: {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    },
    standIn: Array<number>(9).fill(ON),
    built: [OFF, ON, OFF, OFF, ON, ON, OFF, OFF, ON],
  },
  dependencies: ['keytar'],
  devDependencies: ['zod', 'electron', '@electron/asar'],
};

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const replace = <T>(list: readonly T[], index: number, item: T) =>
  list.map((each, i) => (i === index ? item : each));

describe('the sound package', () => {
  it('passes every check', () => {
    expect(runChecks(sound).flatMap((result) => result.problems)).toEqual([]);
  });
});

describe('app.asar holds every file the app loads at run time', () => {
  it('requires the entry points, the app icon, and each tray icon the code can pick, at both scales', () => {
    expect(RUNTIME_FILES.map((file) => file.path).sort()).toEqual([
      'assets/icon.png',
      'assets/tray-expired.png',
      'assets/tray-expired@2x.png',
      'assets/tray-expiring.png',
      'assets/tray-expiring@2x.png',
      'assets/tray-ok.png',
      'assets/tray-ok@2x.png',
      'assets/trayTemplate.png',
      'assets/trayTemplate@2x.png',
      'out/main/index.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'package.json',
    ]);
  });

  it('fails on a missing tray icon, saying which state needs it', () => {
    const broken = {
      ...sound,
      asarFiles: sound.asarFiles.filter((f) => f.path !== 'assets/tray-expiring@2x.png'),
    };
    expect(runtimeFilesPacked(broken, RUNTIME_FILES).problems).toEqual([
      'assets/tray-expiring@2x.png (the tray icon for state expiring on darwin, win32, linux) ' +
        'is missing from app.asar. Fix: make sure it exists, and match it in electron-builder.yml `files`.',
    ]);
  });

  it('fails on a missing build output, pointing at the build', () => {
    const broken = { ...sound, asarFiles: sound.asarFiles.filter((f) => f.path !== 'out/preload/index.cjs') };
    expect(runtimeFilesPacked(broken, RUNTIME_FILES).problems).toEqual([
      "out/preload/index.cjs (the window's preload) is missing from app.asar. " +
        'Fix: run `npm run build`, and match it in electron-builder.yml `files`.',
    ]);
  });
});

describe('native modules are unpacked', () => {
  it('fails when keytar.node is only inside app.asar', () => {
    const broken = {
      ...sound,
      asarFiles: sound.asarFiles.map((f) => (f.path === KEYTAR_NODE ? packed(KEYTAR_NODE) : f)),
      unpackedFiles: sound.unpackedFiles.filter((f) => f !== KEYTAR_NODE),
    };
    expect(nativeModulesUnpacked(broken).problems).toEqual([
      `${KEYTAR_NODE} is packed inside app.asar only: Electron cannot load a native module from the archive. ` +
        "Fix: keep '**/*.node' in electron-builder.yml `asarUnpack`.",
    ]);
  });

  it('fails when keytar.node is marked unpacked but missing beside the archive', () => {
    const broken = { ...sound, unpackedFiles: sound.unpackedFiles.filter((f) => f !== KEYTAR_NODE) };
    expect(nativeModulesUnpacked(broken).problems).toEqual([
      expect.stringContaining(
        `${KEYTAR_NODE} is marked unpacked in app.asar but missing from app.asar.unpacked`,
      ),
    ]);
  });

  it('fails when there is no keytar.node at all', () => {
    const broken = { ...sound, asarFiles: sound.asarFiles.filter((f) => f.path !== KEYTAR_NODE) };
    expect(nativeModulesUnpacked(broken).problems).toEqual([
      expect.stringContaining(`${KEYTAR_NODE} is not in the package: without it the app has no keychain`),
    ]);
  });
});

describe("the main bundle's bare imports resolve inside the package, from dependencies", () => {
  const withImport = (loaded: LoadedImport) => ({ ...sound, imports: [...sound.imports, loaded] });

  it('names the packages it verified', () => {
    expect(bareImportsFromDependencies(sound).verified).toBe(`'keytar' -> ${KEYTAR_JS}`);
  });

  it('fails on an import of a devDependency', () => {
    const broken = withImport({
      from: 'out/main/index.js',
      line: 3,
      kind: 'import',
      specifier: 'zod/v4',
      resolution: { status: 'unresolved', error: "Cannot find package 'zod'" },
    });
    expect(bareImportsFromDependencies(broken).problems).toEqual([
      "'zod/v4' (import at out/main/index.js:3) is a devDependency: the package ships only `dependencies`. " +
        'Fix: move it to package.json `dependencies`, or let electron-vite bundle it into out/main.',
      "'zod/v4' (import at out/main/index.js:3) does not resolve inside the package (Cannot find package 'zod'). " +
        'Fix: declare it in `dependencies` and keep it in electron-builder.yml `files`.',
    ]);
  });

  it('fails on a dependency that does not resolve inside the package', () => {
    const broken = {
      ...sound,
      imports: replace(sound.imports, 0, {
        ...keytarImport,
        resolution: { status: 'unresolved', error: "Cannot find module 'keytar'" },
      }),
    };
    expect(bareImportsFromDependencies(broken).problems).toEqual([
      "'keytar' (require at out/main/index.js:8167) does not resolve inside the package " +
        "(Cannot find module 'keytar'). Fix: declare it in `dependencies` and keep it in electron-builder.yml `files`.",
    ]);
  });

  it('fails on a dependency that resolves outside the package', () => {
    const outside = '/home/dev/node_modules/keytar/lib/keytar.js';
    const broken = {
      ...sound,
      imports: replace(sound.imports, 0, {
        ...keytarImport,
        resolution: { status: 'outside', path: outside },
      }),
    };
    expect(bareImportsFromDependencies(broken).problems).toEqual([
      expect.stringContaining(
        `'keytar' (require at out/main/index.js:8167) resolves outside the package, to ${outside}`,
      ),
    ]);
  });

  it('fails on an undeclared package, even when it happens to be packed', () => {
    const broken = withImport({
      from: 'out/main/index.js',
      line: 12,
      kind: 'import',
      specifier: 'semver',
      resolution: { status: 'inside', path: 'node_modules/semver/index.js' },
    });
    expect(bareImportsFromDependencies(broken).problems).toEqual([
      "'semver' (import at out/main/index.js:12) is not in package.json `dependencies`. " +
        'Fix: add it there, or bundle it into out/main.',
    ]);
  });

  it('fails on a computed specifier, which cannot be checked', () => {
    const broken = withImport({
      from: 'out/main/index.js',
      line: 40,
      kind: 'import',
      specifier: null,
      expression: 'name',
    });
    expect(bareImportsFromDependencies(broken).problems).toEqual([
      'a computed specifier (import at out/main/index.js:40: `name`) cannot be checked. ' +
        'Fix: load modules by a string literal.',
    ]);
  });

  it('knows scoped package names', () => {
    expect([packageName('@scope/name/sub'), packageName('name/sub'), packageName('name')]).toEqual([
      '@scope/name',
      'name',
      'name',
    ]);
  });
});

describe('the fuse wire matches electron-builder.yml electronFuses', () => {
  const withFuses = (fuses: Partial<PackageDescription['fuses']>) => ({
    ...sound,
    fuses: { ...sound.fuses, ...fuses },
  });

  it('fails on a configured fuse that differs, naming it', () => {
    const built = replace(sound.fuses.built, FuseV1Options.EnableNodeCliInspectArguments, ON);
    expect(fusesAsConfigured(withFuses({ built })).problems).toEqual([
      'fuse EnableNodeCliInspectArguments is on in the packaged executable, expected off ' +
        '(electronFuses.enableNodeCliInspectArguments: false). ' +
        'Fix: make sure electron-builder\'s fuse step runs ("executing @electron/fuses").',
    ]);
  });

  it('fails on a fuse it does not set that changed anyway', () => {
    const built = replace(sound.fuses.built, 8, OFF);
    expect(fusesAsConfigured(withFuses({ built })).problems).toEqual([
      expect.stringContaining(
        'fuse #8 is off in the packaged executable, expected on (electronFuses does not set it, so it must ' +
          'keep its state from before packaging)',
      ),
    ]);
  });

  it('fails on a setting that is not a fuse, and on no fuses at all', () => {
    const typo = fusesAsConfigured(withFuses({ configured: { ...sound.fuses.configured, runAsNod: false } }));
    expect(typo.problems).toEqual([
      expect.stringContaining('electronFuses.runAsNod: false is not a fuse setting'),
    ]);
    const none = fusesAsConfigured(withFuses({ configured: {}, built: sound.fuses.standIn }));
    expect(none.problems).toEqual([expect.stringContaining('electron-builder.yml sets no `electronFuses`')]);
  });

  it("ignores electron-builder's options that are not fuses", () => {
    const configured = { ...sound.fuses.configured, resetAdHocDarwinSignature: true };
    expect(fusesAsConfigured(withFuses({ configured })).problems).toEqual([]);
  });
});

describe('every security fuse is at its secure state', () => {
  it('fails on a fuse left at an insecure state, even when the config agrees (a deleted line)', () => {
    const { grantFileProtocolExtraPrivileges: _gone, ...configured } = sound.fuses.configured;
    const built = replace(sound.fuses.built, FuseV1Options.GrantFileProtocolExtraPrivileges, ON);
    const description = { ...sound, fuses: { ...sound.fuses, configured, built } };
    expect(fusesAsConfigured(description).problems).toEqual([]); // the config comparison alone passes
    expect(fusesSecure(description).problems).toEqual([
      'fuse GrantFileProtocolExtraPrivileges is on in the packaged executable; a vault ships it off. ' +
        'Fix: set electronFuses.grantFileProtocolExtraPrivileges: false in electron-builder.yml.',
    ]);
  });

  it('names each insecure fuse', () => {
    const built = replace(
      replace(sound.fuses.built, FuseV1Options.RunAsNode, ON),
      FuseV1Options.OnlyLoadAppFromAsar,
      OFF,
    );
    expect(fusesSecure({ ...sound, fuses: { ...sound.fuses, built } }).problems).toEqual([
      expect.stringMatching(/^fuse RunAsNode is on/),
      expect.stringMatching(/^fuse OnlyLoadAppFromAsar is off/),
    ]);
  });
});

describe('no dev-only file is packed', () => {
  it.each([
    ['out/main/index.js.map', 'a source map'],
    ['node_modules/keytar/test.js', 'a test'],
    ['node_modules/keytar/test/keytar-test.js', 'a test'],
    ['node_modules/keytar/lib/keytar.spec.js', 'a test'],
    ['out/main/__tests__/index.js', 'a test'],
    ['.env', 'an environment file'],
    ['out/.env.production', 'an environment file'],
    ['electron/main/index.ts', 'TypeScript source or declarations'],
    ['node_modules/keytar/keytar.d.ts', 'TypeScript source or declarations'],
    ['tsconfig.node.json', 'a TypeScript config'],
    ['package-lock.json', 'a lockfile'],
    ['.github/workflows/ci.yml', 'GitHub configuration'],
    ['README.md', 'documentation (markdown)'],
    ['node_modules/keytar/CONTRIBUTING.md', 'documentation (markdown)'],
    ['scripts/test.sh', 'a development file of the app'],
    ['docs/main-window.png', 'a development file of the app'],
    ['renderer/index.html', 'a development file of the app'],
    ['assets/icon.svg', 'a build resource the running app never loads'],
    ['assets/icon.icns', 'a build resource the running app never loads'],
  ])('fails on %s (%s)', (path, what) => {
    const broken = { ...sound, asarFiles: [...sound.asarFiles, packed(path)] };
    const [problem, ...others] = noDevOnlyFiles(broken, RUNTIME_FILES).problems;
    expect(others).toEqual([]);
    expect(problem).toMatch(
      new RegExp(`^${literally(`${path} is ${what}`)}.*: it must not ship\\. Fix: in `),
    );
  });

  it('points at the pattern to drop for a file of the checkout, at one to add inside the run time', () => {
    const broken = {
      ...sound,
      asarFiles: [
        ...sound.asarFiles,
        packed('electron/main/index.ts'),
        packed('node_modules/keytar/keytar.d.ts'),
      ],
    };
    expect(noDevOnlyFiles(broken, RUNTIME_FILES).problems).toEqual([
      'electron/main/index.ts is TypeScript source or declarations: it must not ship. Fix: in electron-builder.yml ' +
        '`files`, drop the pattern that packs electron/ (only package.json, out/ and assets/ are used at run time).',
      'node_modules/keytar/keytar.d.ts is TypeScript source or declarations: it must not ship. ' +
        "Fix: in electron-builder.yml `files`, add '!**/*.{ts,tsx,mts,cts}'.",
    ]);
  });

  it('keeps licenses and the runtime files', () => {
    expect(noDevOnlyFiles(sound, RUNTIME_FILES).problems).toEqual([]);
  });
});

describe('node_modules holds exactly the modules the app loads', () => {
  it('fails on a packed module nothing loads', () => {
    const broken = {
      ...sound,
      asarFiles: [
        ...sound.asarFiles,
        packed('node_modules/prebuild-install/index.js'),
        packed('node_modules/prebuild-install/package.json'),
      ],
    };
    expect(modulesMatchWhatIsLoaded(broken).problems).toEqual([
      'node_modules/prebuild-install is packed (2 files) but nothing the app loads requires it. ' +
        'Fix: exclude it in electron-builder.yml `files` (it is an install-time or unused dependency).',
    ]);
  });

  it("fails when a loaded module's own require does not resolve inside the package", () => {
    const broken = {
      ...sound,
      imports: replace(sound.imports, 1, {
        ...sound.imports[1]!,
        resolution: { status: 'unresolved', error: "Cannot find module '../build/Release/keytar.node'" },
      }),
    };
    expect(modulesMatchWhatIsLoaded(broken).problems).toEqual([
      expect.stringContaining(
        `'../build/Release/keytar.node' (require at ${KEYTAR_JS}:1) does not resolve inside the package`,
      ),
    ]);
  });

  it('finds the package a file belongs to', () => {
    expect([
      packageDir(KEYTAR_JS),
      packageDir('node_modules/a/node_modules/@s/b/index.js'),
      packageDir('out/main/index.js'),
    ]).toEqual(['node_modules/keytar', 'node_modules/a/node_modules/@s/b', null]);
  });
});

describe('findImports', () => {
  it('finds static, side-effect, re-export, dynamic and require imports, and nothing in strings or comments', () => {
    const source = [
      'import { createRequire as makeRequire } from "node:module";',
      'import a from "static-default";',
      'import "side-effect";',
      'export * from "re-export";',
      'const lazy = () => import("dynamic");',
      'const req = makeRequire(import.meta.url);',
      'req("via-variable");',
      'this.keytar ??= makeRequire(import.meta.url)("via-call");',
      'require("plain-require");',
      'import(name);',
      '// import "in-a-comment";',
      'const text = \'import "in-a-string"\';',
    ].join('\n');
    expect(findImports(source, 'index.js')).toEqual([
      { kind: 'import', specifier: 'node:module', line: 1 },
      { kind: 'import', specifier: 'static-default', line: 2 },
      { kind: 'import', specifier: 'side-effect', line: 3 },
      { kind: 'import', specifier: 're-export', line: 4 },
      { kind: 'import', specifier: 'dynamic', line: 5 },
      { kind: 'require', specifier: 'via-variable', line: 7 },
      { kind: 'require', specifier: 'via-call', line: 8 },
      { kind: 'require', specifier: 'plain-require', line: 9 },
      { kind: 'import', specifier: null, expression: 'name', line: 10 },
    ]);
  });
});
