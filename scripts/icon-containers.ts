/**
 * The two icon containers packaging needs, written from PNGs (both formats carry PNG payloads
 * as they are): macOS `.icns` and Windows `.ico`.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG's pixel size, from its IHDR chunk (always the first, right after the signature). */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (
    png.length < 24 ||
    !png.subarray(0, 8).equals(PNG_SIGNATURE) ||
    png.toString('latin1', 12, 16) !== 'IHDR'
  ) {
    throw new Error('not a PNG');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * The PNG-typed ICNS entries and their pixel sizes (the @2x types hold the Retina image of the
 * size below them). Not icp4/icp5 (16, 32): Finder shows PNGs in those garbled inside an app
 * bundle, and scales down from the larger entries instead.
 */
export const ICNS_TYPES = {
  ic11: 32, // 16@2x
  ic12: 64, // 32@2x
  ic07: 128,
  ic08: 256,
  ic13: 256, // 128@2x
  ic09: 512,
  ic14: 512, // 256@2x
  ic10: 1024, // 512@2x
} as const;
export type IcnsType = keyof typeof ICNS_TYPES;

/** `icns` + total length, then per entry its type, its length (header included) and the PNG; big-endian. */
export function writeIcns(entries: ReadonlyArray<{ type: IcnsType; png: Buffer }>): Buffer {
  const chunks = entries.map(({ type, png }) => {
    const { width, height } = pngSize(png);
    if (width !== ICNS_TYPES[type] || height !== ICNS_TYPES[type]) {
      throw new Error(`${type} needs ${ICNS_TYPES[type]} px, got ${width}x${height}`);
    }
    const header = Buffer.alloc(8);
    header.write(type, 0, 'latin1');
    header.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([header, png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([header, ...chunks]);
}

/**
 * ICONDIR (reserved 0, type 1 = icon, count), one 16-byte ICONDIRENTRY per image (width and
 * height as a byte, 0 meaning 256; 32 bits per pixel; length; offset), then the PNGs; little-endian.
 */
export function writeIco(pngs: readonly Buffer[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length + 16 * pngs.length;
  const directory = pngs.map((png) => {
    const { width, height } = pngSize(png);
    if (width > 256 || height > 256)
      throw new Error(`an ICO image is at most 256 px, got ${width}x${height}`);
    const entry = Buffer.alloc(16);
    entry.writeUInt8(width % 256, 0);
    entry.writeUInt8(height % 256, 1);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel (RGBA)
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...directory, ...pngs]);
}
