/**
 * `run` pipes its command's output through this: every occurrence of the value becomes a fixed
 * marker, so a build log that echoes its environment does not carry the value into a terminal's
 * scrollback or a CI log. Output comes in chunks that may split the value anywhere: the masker
 * holds back the end of each chunk that could be the start of the value (at most its length less
 * one byte) until the next chunk, or the end, decides it. Bytes, not text: a chunk may also split a
 * UTF-8 character.
 */
import { Transform, type TransformCallback } from 'node:stream';

export const MASK = '<concealed by Token Vault>';

export class ValueMasker extends Transform {
  private readonly value: Buffer;
  private readonly mask = Buffer.from(MASK, 'utf8');
  private held: Buffer = Buffer.alloc(0);

  constructor(value: string) {
    super();
    this.value = Buffer.from(value, 'utf8');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const data = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    if (!this.value.length) {
      done(null, data);
      return;
    }
    const out: Buffer[] = [];
    let from = 0;
    for (let at = data.indexOf(this.value, from); at >= 0; at = data.indexOf(this.value, from)) {
      out.push(data.subarray(from, at), this.mask);
      from = at + this.value.length;
    }
    const keep = this.partialAtEnd(data, from);
    out.push(data.subarray(from, data.length - keep));
    this.held = Buffer.from(data.subarray(data.length - keep));
    done(null, Buffer.concat(out));
  }

  override _flush(done: TransformCallback): void {
    // Whatever is held at the end was not the value: it is output as it came.
    done(null, this.held);
  }

  /** The length of the longest end of `data[from..]` that the value starts with (shorter than it). */
  private partialAtEnd(data: Buffer, from: number): number {
    const longest = Math.min(this.value.length - 1, data.length - from);
    for (let length = longest; length > 0; length--) {
      if (data.subarray(data.length - length).equals(this.value.subarray(0, length))) return length;
    }
    return 0;
  }
}

/** Masks a whole sequence of chunks (for tests, and for text that is already complete). */
export async function maskChunks(value: string, chunks: readonly (string | Buffer)[]): Promise<string> {
  const masker = new ValueMasker(value);
  const out: Buffer[] = [];
  masker.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve) => masker.on('end', resolve));
  for (const chunk of chunks) masker.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  masker.end();
  await ended;
  return Buffer.concat(out).toString('utf8');
}
