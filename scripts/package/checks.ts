/**
 * The package checks, as pure functions over a PackageDescription. Each names what it verified,
 * or lists its problems: what is wrong, and how to fix it.
 */
import { FuseV1Options } from '@electron/fuses';
import { FuseState } from '@electron/fuses/dist/constants.js';
import type { LoadedImport, PackageDescription } from './description';
import { RUNTIME_FILES, type RuntimeFile } from './runtime-files';

export interface CheckResult {
  readonly name: string;
  /** What was verified, shown when there is no problem. */
  readonly verified: string;
  readonly problems: readonly string[];
}

export function runChecks(
  description: PackageDescription,
  runtimeFiles: readonly RuntimeFile[] = RUNTIME_FILES,
): CheckResult[] {
  return [
    runtimeFilesPacked(description, runtimeFiles),
    nativeModulesUnpacked(description),
    bareImportsFromDependencies(description),
    fusesAsConfigured(description),
    fusesSecure(description),
    noDevOnlyFiles(description, runtimeFiles),
    modulesMatchWhatIsLoaded(description),
  ];
}

export function runtimeFilesPacked(
  { asarFiles }: PackageDescription,
  runtimeFiles: readonly RuntimeFile[],
): CheckResult {
  const packed = new Set(asarFiles.map((file) => file.path));
  return {
    name: 'app.asar holds every file the app loads at run time',
    verified: `${runtimeFiles.length} files: entry points, tray icons for every state and scale, app icon`,
    problems: runtimeFiles
      .filter((file) => !packed.has(file.path))
      .map(
        (file) =>
          `${file.path} (${file.why}) is missing from app.asar. Fix: ${
            file.path.startsWith('out/') ? 'run `npm run build`, and ' : 'make sure it exists, and '
          }match it in electron-builder.yml \`files\`.`,
      ),
  };
}

/** The keychain module: the app cannot store anything without it. */
export const KEYTAR_NODE = 'node_modules/keytar/build/Release/keytar.node';

export function nativeModulesUnpacked({ asarFiles, unpackedFiles }: PackageDescription): CheckResult {
  const onDisk = new Set(unpackedFiles);
  const native = asarFiles.filter((file) => file.path.endsWith('.node'));
  const problems = native.flatMap((file) => {
    if (!file.unpacked) {
      return [
        `${file.path} is packed inside app.asar only: Electron cannot load a native module from the archive. ` +
          "Fix: keep '**/*.node' in electron-builder.yml `asarUnpack`.",
      ];
    }
    if (!onDisk.has(file.path)) {
      return [
        `${file.path} is marked unpacked in app.asar but missing from app.asar.unpacked. ` +
          'Fix: rebuild the package (electron-builder writes both).',
      ];
    }
    return [];
  });
  if (!native.some((file) => file.path === KEYTAR_NODE)) {
    problems.unshift(
      `${KEYTAR_NODE} is not in the package: without it the app has no keychain. ` +
        'Fix: keep keytar in package.json `dependencies`, built (npm ci builds it), and matched by ' +
        'electron-builder.yml `files`.',
    );
  }
  return {
    name: 'native modules are unpacked (app.asar.unpacked)',
    verified: native.map((file) => file.path).join(', '),
    problems,
  };
}

const isBare = (specifier: string) => !/^(\.{1,2}|\/|file:)/.test(specifier);
const isOfApp = (file: string) => !file.split('/').includes('node_modules');
const where = (loaded: LoadedImport) => `${loaded.kind} at ${loaded.from}:${loaded.line}`;

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

export function bareImportsFromDependencies(description: PackageDescription): CheckResult {
  const dependencies = new Set(description.dependencies);
  const devDependencies = new Set(description.devDependencies);
  const ofApp = description.imports.filter((loaded) => isOfApp(loaded.from));
  const bare = ofApp.filter((loaded) => loaded.specifier !== null && isBare(loaded.specifier));
  const problems = ofApp
    .filter((loaded) => loaded.specifier === null)
    .map(
      (loaded) =>
        `a computed specifier (${where(loaded)}: \`${loaded.expression}\`) cannot be checked. ` +
        'Fix: load modules by a string literal.',
    );
  for (const loaded of bare) {
    const specifier = loaded.specifier!;
    const name = packageName(specifier);
    const about = `'${specifier}' (${where(loaded)})`;
    if (!dependencies.has(name)) {
      problems.push(
        devDependencies.has(name)
          ? `${about} is a devDependency: the package ships only \`dependencies\`. ` +
              'Fix: move it to package.json `dependencies`, or let electron-vite bundle it into out/main.'
          : `${about} is not in package.json \`dependencies\`. Fix: add it there, or bundle it into out/main.`,
      );
    }
    const resolution = loaded.resolution;
    if (resolution?.status === 'unresolved') {
      problems.push(
        `${about} does not resolve inside the package (${resolution.error}). ` +
          'Fix: declare it in `dependencies` and keep it in electron-builder.yml `files`.',
      );
    } else if (resolution?.status === 'outside') {
      problems.push(
        `${about} resolves outside the package, to ${resolution.path}: the installed app would not find it. ` +
          'Fix: declare it in `dependencies` and keep it in electron-builder.yml `files`.',
      );
    }
  }
  return {
    name: "the main bundle's bare imports resolve inside the package, from `dependencies`",
    verified: bare
      .map((loaded) => {
        const resolution = loaded.resolution;
        return `'${loaded.specifier}' -> ${resolution?.status === 'inside' ? resolution.path : '?'}`;
      })
      .join(', '),
    problems,
  };
}

/**
 * Each fuse's secure state, independent of electron-builder.yml: a fuse deleted from the config
 * keeps Electron's (insecure) default, which the config comparison alone would accept.
 */
export const SECURE_FUSES: Readonly<Partial<Record<keyof typeof FuseV1Options, boolean>>> = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
};

export function fusesSecure({ fuses }: PackageDescription): CheckResult {
  const problems = Object.entries(SECURE_FUSES).flatMap(([name, secure]) => {
    const index = FuseV1Options[name as keyof typeof FuseV1Options];
    const want = secure ? FuseState.ENABLE : FuseState.DISABLE;
    const built = fuses.built[index];
    return built === want
      ? []
      : [
          `fuse ${name} is ${fuseState(built)} in the packaged executable; a vault ships it ${fuseState(want)}. ` +
            `Fix: set electronFuses.${name[0]!.toLowerCase()}${name.slice(1)}: ${secure} in electron-builder.yml.`,
        ];
  });
  return {
    name: 'every security fuse is at its secure state',
    verified: `${Object.keys(SECURE_FUSES).length} fuses`,
    problems,
  };
}

/** electron-builder options inside `electronFuses` that are not fuses. */
const NOT_FUSES = new Set(['resetAdHocDarwinSignature', 'strictlyRequireAllFuses']);

const fuseName = (index: number) => FuseV1Options[index] ?? `fuse #${index}`;
const fuseState = (byte: number | undefined) =>
  byte === FuseState.ENABLE
    ? 'on'
    : byte === FuseState.DISABLE
      ? 'off'
      : byte === FuseState.REMOVED
        ? 'removed'
        : byte === undefined
          ? 'absent'
          : `byte ${byte}`;

export function fusesAsConfigured({ fuses }: PackageDescription): CheckResult {
  const configured = Object.entries(fuses.configured).filter(([key]) => !NOT_FUSES.has(key));
  const problems: string[] = [];
  if (!configured.length) {
    problems.push(
      'electron-builder.yml sets no `electronFuses`: the app would ship with runAsNode, NODE_OPTIONS and ' +
        'the inspector on. Fix: restore electron-builder.yml `electronFuses`.',
    );
  }
  // What was set where; every other fuse keeps the stand-in's state.
  const expected = [...fuses.standIn];
  const setBy = new Map<number, string>();
  for (const [key, value] of configured) {
    // electron-builder's keys are FuseV1Options' names in camelCase (the enum also maps back).
    const name = key[0]!.toUpperCase() + key.slice(1);
    const index: unknown = Object.hasOwn(FuseV1Options, name)
      ? FuseV1Options[name as keyof typeof FuseV1Options]
      : null;
    if (typeof index !== 'number' || typeof value !== 'boolean') {
      problems.push(
        `electronFuses.${key}: ${JSON.stringify(value)} is not a fuse setting @electron/fuses knows ` +
          '(FuseV1Options, true or false). Fix: correct or remove it in electron-builder.yml.',
      );
      continue;
    }
    expected[index] = value ? FuseState.ENABLE : FuseState.DISABLE;
    setBy.set(index, `electronFuses.${key}: ${value}`);
  }
  for (let index = 0; index < Math.max(expected.length, fuses.built.length); index++) {
    const [built, want] = [fuses.built[index], expected[index]];
    if (built === want) continue;
    const setting = setBy.get(index);
    problems.push(
      `fuse ${fuseName(index)} is ${fuseState(built)} in the packaged executable, expected ${fuseState(want)} ` +
        (setting
          ? `(${setting}). Fix: make sure electron-builder's fuse step runs ("executing @electron/fuses").`
          : '(electronFuses does not set it, so it must keep its state from before packaging). Fix: set it in ' +
            'electron-builder.yml `electronFuses` if the change is meant, or remove what else flips it (a hook).'),
    );
  }
  return {
    name: 'the fuse wire matches electron-builder.yml `electronFuses`',
    verified: fuses.built.map((byte, index) => `${fuseName(index)} ${fuseState(byte)}`).join(', '),
    problems,
  };
}

interface DevOnlyRule {
  readonly what: string;
  readonly matches: (path: string) => boolean;
  /** How electron-builder.yml `files` keeps it out. */
  readonly fix: string;
}

const base = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const folders = (path: string) => path.split('/').slice(0, -1);
const ofAppAt = (path: string, folder: string) => isOfApp(path) && path.startsWith(`${folder}/`);

const DEV_ONLY: readonly DevOnlyRule[] = [
  { what: 'a source map', matches: (path) => path.endsWith('.map'), fix: "add '!**/*.map'" },
  {
    what: 'a test',
    matches: (path) =>
      folders(path).some((folder) => /^(tests?|__tests__|__mocks__)$/.test(folder)) ||
      /\.(test|spec)\.[^.]+$/.test(base(path)) ||
      /^tests?([-_.][^/]*)?\.[cm]?js$/.test(base(path)),
    fix: "add a pattern such as '!**/{test,tests,__tests__,*.test.*,*.spec.*,test.js}'",
  },
  { what: 'an environment file', matches: (path) => base(path).startsWith('.env'), fix: "add '!**/.env*'" },
  {
    what: 'TypeScript source or declarations',
    matches: (path) => /\.[cm]?tsx?$/.test(path),
    fix: "add '!**/*.{ts,tsx,mts,cts}'",
  },
  {
    what: 'a TypeScript config',
    matches: (path) => /^tsconfig.*\.json$/.test(base(path)),
    fix: "add '!**/tsconfig*.json'",
  },
  {
    what: 'a lockfile',
    matches: (path) =>
      /^(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?)$/.test(base(path)),
    fix: "add '!**/{package-lock.json,yarn.lock,pnpm-lock.yaml}'",
  },
  {
    what: 'GitHub configuration',
    matches: (path) => folders(path).includes('.github'),
    fix: "add '!**/.github'",
  },
  {
    // Licenses ship with the code they cover; other markdown is documentation.
    what: 'documentation (markdown)',
    matches: (path) => /\.(md|markdown)$/i.test(path) && !/^licen[cs]e/i.test(base(path)),
    fix: "add '!**/*.md' (licenses excepted)",
  },
];

/**
 * The app's run time is package.json, the build output and the icons; anything else of the
 * checkout (scripts/, bench/, docs/, electron/, renderer/, configs) is development, whatever its kind.
 */
const ofRunTime = (path: string) =>
  !isOfApp(path) || path === 'package.json' || ['out', 'assets'].some((folder) => ofAppAt(path, folder));

export function noDevOnlyFiles(
  { asarFiles }: PackageDescription,
  runtimeFiles: readonly RuntimeFile[],
): CheckResult {
  const loaded = new Set(runtimeFiles.map((file) => file.path));
  const rules: readonly DevOnlyRule[] = [
    ...DEV_ONLY,
    {
      // assets/ is also buildResources: icon sources (SVG) and installer icons (icns, ico, plist).
      what: 'a build resource the running app never loads',
      matches: (path) => ofAppAt(path, 'assets') && !loaded.has(path),
      fix: 'match only the icons the app loads (assets/*.png)',
    },
  ];
  const problems = asarFiles.flatMap(({ path }) => {
    const rule = rules.find((candidate) => candidate.matches(path));
    if (ofRunTime(path)) {
      return rule
        ? [`${path} is ${rule.what}: it must not ship. Fix: in electron-builder.yml \`files\`, ${rule.fix}.`]
        : [];
    }
    const packedBy = path.includes('/') ? `${path.split('/')[0]}/` : path;
    return [
      `${path} is ${rule?.what ?? 'a development file of the app'}: it must not ship. Fix: in electron-builder.yml ` +
        `\`files\`, drop the pattern that packs ${packedBy} (only package.json, out/ and assets/ are used at run time).`,
    ];
  });
  return {
    name: 'no dev-only file is packed (maps, tests, .env, sources, configs, docs, lockfiles)',
    verified: `${asarFiles.length} packed files`,
    problems,
  };
}

/** The package folder a file belongs to (`node_modules/a/node_modules/@s/b`), or null for the app. */
export function packageDir(path: string): string | null {
  const parts = path.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return null;
  const end = at + (parts[at + 1]?.startsWith('@') ? 3 : 2);
  return end < parts.length ? parts.slice(0, end).join('/') : null;
}

/**
 * Every import of a loaded file (the app's relative ones, and those of the modules it loads)
 * resolves inside the package, and every packed module is one of those loaded: install-time tools
 * (keytar's prebuild-install, node-addon-api) must not ride along.
 */
export function modulesMatchWhatIsLoaded({ asarFiles, imports }: PackageDescription): CheckResult {
  const followed = imports.filter(
    (loaded) => loaded.specifier !== null && !(isOfApp(loaded.from) && isBare(loaded.specifier)),
  );
  const problems = followed.flatMap((loaded) => {
    const resolution = loaded.resolution;
    if (resolution?.status === 'unresolved') {
      return [
        `'${loaded.specifier}' (${where(loaded)}) does not resolve inside the package (${resolution.error}). ` +
          'Fix: keep that file in electron-builder.yml `files`.',
      ];
    }
    if (resolution?.status === 'outside') {
      return [
        `'${loaded.specifier}' (${where(loaded)}) resolves outside the package, to ${resolution.path}. ` +
          'Fix: keep it in electron-builder.yml `files`.',
      ];
    }
    return [];
  });
  const loaded = new Set(
    imports.flatMap((each) =>
      each.resolution?.status === 'inside' ? [packageDir(each.resolution.path)] : [],
    ),
  );
  const packed = new Map<string, number>();
  for (const { path } of asarFiles) {
    const dir = packageDir(path);
    if (dir) packed.set(dir, (packed.get(dir) ?? 0) + 1);
  }
  for (const [dir, count] of packed) {
    if (!loaded.has(dir)) {
      problems.push(
        `${dir} is packed (${count} files) but nothing the app loads requires it. ` +
          'Fix: exclude it in electron-builder.yml `files` (it is an install-time or unused dependency).',
      );
    }
  }
  return {
    name: 'node_modules holds exactly the modules the app loads',
    verified: [...packed.keys()].join(', ') || 'no module',
    problems,
  };
}
