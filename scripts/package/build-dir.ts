/**
 * Builds electron-builder's Linux `dir` target (the unpacked app, no installer) from
 * electron-builder.yml, with only what this machine needs overridden. Uses the programmatic API
 * rather than the CLI: it runs in this process (no npx start-up), takes the overrides as a typed
 * object, and hands back the fuses electron-builder actually applied and the packed executable's
 * path, so nothing here re-reads the configuration or guesses electron-builder's output layout.
 */
import { join } from 'node:path';
import { Packager, Platform, type LinuxPackager } from 'electron-builder';

export interface DirBuild {
  /** The packaged executable: the stand-in, renamed, with its fuses flipped. */
  readonly executable: string;
  readonly resourcesDir: string;
  /** `electronFuses` as electron-builder applied it ({} when unset). */
  readonly electronFuses: Readonly<Record<string, unknown>>;
}

export async function buildDir(options: {
  readonly projectDir: string;
  readonly electronDist: string;
  readonly electronVersion: string;
  readonly outputDir: string;
}): Promise<DirBuild> {
  const packager = new Packager({
    projectDir: options.projectDir,
    targets: Platform.LINUX.createTarget('dir'),
    config: {
      electronDist: options.electronDist,
      electronVersion: options.electronVersion,
      // The default rebuilds keytar with @electron/rebuild, rewriting node_modules: the check
      // must leave the installed modules as they are.
      npmRebuild: false,
      directories: { output: options.outputDir },
    },
  });
  let packed: { appOutDir: string; executableName: string } | undefined;
  packager.onAfterPack((context) => {
    packed = {
      appOutDir: context.appOutDir,
      executableName: (context.packager as LinuxPackager).executableName,
    };
  });
  const { configuration } = await packager.build();
  if (!packed) throw new Error('electron-builder finished without packing the app');
  return {
    executable: join(packed.appOutDir, packed.executableName),
    resourcesDir: join(packed.appOutDir, 'resources'),
    electronFuses: { ...configuration.electronFuses },
  };
}
