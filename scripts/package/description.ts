/**
 * What scripts/package/inspect.ts reads out of a built package, as plain data: the checks
 * (checks.ts) are pure functions over it, so the unit tests describe broken packages without
 * building one.
 */

/** One file of app.asar's header. Paths are relative to the app root, with `/`. */
export interface PackedFile {
  readonly path: string;
  readonly size: number;
  /** Marked in the header as living in app.asar.unpacked. */
  readonly unpacked: boolean;
}

export type ImportKind = 'import' | 'require';

/** Where Node resolved an import, from the extracted package. */
export type Resolution =
  | { readonly status: 'inside'; readonly path: string }
  | { readonly status: 'outside'; readonly path: string }
  | { readonly status: 'unresolved'; readonly error: string };

/** One import of a file the app loads (the main bundle, then whatever it loads, transitively). */
export interface LoadedImport {
  /** The importing file, relative to the app root. */
  readonly from: string;
  readonly line: number;
  readonly kind: ImportKind;
  /** null: a computed specifier (`require(name)`), which cannot be followed. */
  readonly specifier: string | null;
  /** The source text of a computed specifier, for messages. */
  readonly expression?: string;
  /** Absent for a computed specifier. */
  readonly resolution?: Resolution;
}

export interface FuseWires {
  /** electron-builder.yml's `electronFuses`, as electron-builder applied it ({} when unset). */
  readonly configured: Readonly<Record<string, unknown>>;
  /** The stand-in Electron's wire before packaging: one byte per fuse. */
  readonly standIn: readonly number[];
  /** The wire read back from the packaged executable. */
  readonly built: readonly number[];
}

export interface PackageDescription {
  readonly asarFiles: readonly PackedFile[];
  /** Files actually present in app.asar.unpacked. */
  readonly unpackedFiles: readonly string[];
  readonly imports: readonly LoadedImport[];
  readonly fuses: FuseWires;
  /** package.json's dependency names. */
  readonly dependencies: readonly string[];
  readonly devDependencies: readonly string[];
}
