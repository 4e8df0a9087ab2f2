/**
 * A stand-in for the Electron binary, which cannot be downloaded here (nor needed to check what
 * we pack): a tiny shell script followed by Electron's fuse wire, so electron-builder's fuses step
 * has a wire to flip and the check can read it back.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SENTINEL } from '@electron/fuses/dist/constants';

/** Electron 45's wire holds nine fuses; the stand-in starts with every one on. */
const FUSE_COUNT = 9;
const WIRE_VERSION = 1;

/** Writes `<dir>/electron` (the file name electron-builder expects in electronDist) and returns its path. */
export function writeStandInElectron(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'electron');
  writeFileSync(
    file,
    Buffer.concat([
      // The shell stops at `exit`, before the wire's bytes.
      Buffer.from('#!/bin/sh\n# Stand-in Electron written by scripts/package-check.ts\nexit 0\n'),
      Buffer.from(SENTINEL, 'ascii'),
      Buffer.from([WIRE_VERSION, FUSE_COUNT]),
      Buffer.from('1'.repeat(FUSE_COUNT), 'ascii'),
    ]),
    { mode: 0o755 },
  );
  return file;
}
