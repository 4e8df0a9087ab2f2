/**
 * The committed installer icons, read back with parsers written from the formats (not from the
 * writers): magic, entry count, each entry's declared size against its PNG's own IHDR, lengths.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pngSize, writeIcns, writeIco } from '../../scripts/icon-containers';

type Ihdr = { width: number; height: number; bitDepth: number; colourType: number };

function ihdr(png: Buffer): Ihdr {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return {
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
    bitDepth: png[24]!,
    colourType: png[25]!,
  };
}

function readIcns(file: Buffer): Array<{ type: string; png: Buffer }> {
  expect(file.toString('latin1', 0, 4)).toBe('icns');
  expect(file.readUInt32BE(4)).toBe(file.length);
  const entries = [];
  for (let at = 8; at < file.length;) {
    const length = file.readUInt32BE(at + 4);
    expect(length).toBeGreaterThan(8);
    entries.push({ type: file.toString('latin1', at, at + 4), png: file.subarray(at + 8, at + length) });
    at += length;
    expect(at).toBeLessThanOrEqual(file.length);
  }
  return entries;
}

function readIco(file: Buffer): Array<{ width: number; height: number; bits: number; png: Buffer }> {
  expect([file.readUInt16LE(0), file.readUInt16LE(2)]).toEqual([0, 1]);
  const count = file.readUInt16LE(4);
  let expectedOffset = 6 + 16 * count;
  const entries = [];
  for (let i = 0; i < count; i++) {
    const at = 6 + 16 * i;
    const [length, offset] = [file.readUInt32LE(at + 8), file.readUInt32LE(at + 12)];
    expect(offset).toBe(expectedOffset); // payloads follow the directory back to back
    expectedOffset += length;
    entries.push({
      width: file[at]! || 256,
      height: file[at + 1]! || 256,
      bits: file.readUInt16LE(at + 6),
      png: file.subarray(offset, offset + length),
    });
  }
  expect(expectedOffset).toBe(file.length);
  return entries;
}

const ICNS_SIZES = { ic11: 32, ic12: 64, ic07: 128, ic08: 256, ic13: 256, ic09: 512, ic14: 512, ic10: 1024 };

describe('assets/icon.icns (macOS)', () => {
  const entries = readIcns(readFileSync('assets/icon.icns'));

  it('holds a PNG for every size macOS asks for, 16@2x to 512@2x', () => {
    expect(entries.map((e) => e.type).sort()).toEqual(Object.keys(ICNS_SIZES).sort());
  });

  it("declares each entry's size as its PNG's own", () => {
    for (const { type, png } of entries) {
      const size = ICNS_SIZES[type as keyof typeof ICNS_SIZES];
      expect(ihdr(png), type).toMatchObject({ width: size, height: size, bitDepth: 8, colourType: 6 });
    }
  });
});

describe('assets/icon.ico (Windows)', () => {
  const entries = readIco(readFileSync('assets/icon.ico'));

  it('holds PNG images at 16, 24, 32, 48, 64, 128 and 256 px', () => {
    expect(entries.map((e) => e.width)).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it("declares each entry's size and depth as its PNG's own (RGBA, 8 bits a channel)", () => {
    for (const { width, height, bits, png } of entries) {
      expect(bits).toBe(32);
      expect(ihdr(png), `${width} px`).toEqual({ width, height, bitDepth: 8, colourType: 6 });
    }
  });
});

describe('the writers', () => {
  const png = (size: number) => {
    const file = Buffer.alloc(33);
    Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').copy(file);
    file.writeUInt32BE(size, 16);
    file.writeUInt32BE(size, 20);
    return file;
  };

  it('reads a PNG size from its IHDR and refuses anything else', () => {
    expect(pngSize(png(48))).toEqual({ width: 48, height: 48 });
    expect(() => pngSize(Buffer.from('GIF89a, not a PNG at all'))).toThrow(/not a PNG/);
  });

  it('refuses an ICNS entry whose PNG is not the size its type declares', () => {
    expect(() => writeIcns([{ type: 'ic07', png: png(256) }])).toThrow(/ic07 needs 128 px/);
  });

  it('refuses an ICO image over 256 px, and writes 256 as 0', () => {
    expect(() => writeIco([png(512)])).toThrow(/at most 256 px/);
    expect(readIco(writeIco([png(256)]))[0]).toMatchObject({ width: 256, height: 256 });
    expect(writeIco([png(256)])[6]).toBe(0);
  });
});
