/**
 * The TWS API wire format (protocol v100+): every message is a 4-byte
 * big-endian length followed by NUL-terminated text fields. The connection
 * opens with "API\0" + a length-prefixed version range such as "v100..193".
 */

export const API_PREFIX = Buffer.from('API\0', 'latin1');
/** Largest frame @stoqey/ib accepts (and so do we). */
export const MAX_FRAME_LENGTH = 0xffffff;

export type Field = string | number | boolean | undefined | null;

/** Text form of one field as the TWS API writes it: booleans 1/0, empty for undefined/null. */
export function fieldText(value: Field): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '';
    return String(value);
  }
  return value;
}

/** One framed message from its fields. */
export function encodeFrame(fields: readonly Field[]): Buffer {
  let text = '';
  for (const f of fields) text += fieldText(f) + '\0';
  const body = Buffer.from(text, 'utf8');
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/** Splits a frame body into its fields (the body ends with a NUL, so the last split part is dropped). */
export function splitFields(body: Buffer): string[] {
  const parts = body.toString('utf8').split('\0');
  if (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export class FrameError extends Error {}

/**
 * Accumulates socket data and yields whole frame bodies. Chunks are kept as
 * they arrive and joined once, when a whole frame is there: a large frame in
 * many small chunks costs one copy, not one per chunk.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private size = 0;

  /** The largest frame accepted now (the session lowers it until START_API). */
  maxFrameLength = MAX_FRAME_LENGTH;

  push(data: Buffer): Buffer[] {
    if (data.length) {
      this.chunks.push(data);
      this.size += data.length;
    }
    const frames: Buffer[] = [];
    while (this.size >= 4) {
      const length = this.take(4, false).readUInt32BE(0);
      if (length > this.maxFrameLength) throw new FrameError(`frame length ${length} exceeds ${this.maxFrameLength}`);
      if (this.size < 4 + length) break;
      frames.push(this.take(4 + length, true).subarray(4));
    }
    return frames;
  }

  /** Bytes received but not yet part of a whole frame. */
  get pending(): number {
    return this.size;
  }

  /** The first n buffered bytes (n <= size), removed from the buffer when `consume`. */
  private take(n: number, consume: boolean): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
    } else {
      let count = 0;
      let bytes = 0;
      while (bytes < n) bytes += this.chunks[count++].length;
      const joined = Buffer.concat(this.chunks.slice(0, count), bytes);
      this.chunks.splice(0, count, joined);
      out = joined.subarray(0, n);
    }
    if (consume) {
      const head = this.chunks[0];
      if (head.length === n) this.chunks.shift();
      else this.chunks[0] = head.subarray(n);
      this.size -= n;
    }
    return out;
  }
}

export interface VersionRange {
  min: number;
  max: number;
}

/** Parses the handshake's "v100..193" (or "v100") text; undefined when malformed. */
export function parseVersionRange(text: string): VersionRange | undefined {
  // connect options may follow after a space ("v100..193 +PACEAPI")
  const m = /^v(\d+)(?:\.\.(\d+))?(?:\s.*)?$/s.exec(text.trim());
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (max < min) return undefined;
  return { min, max };
}

export type HandshakeResult = { state: 'incomplete' } | { state: 'invalid'; reason: string } | { state: 'done'; range: VersionRange; rest: Buffer };

/** Reads "API\0" + length + "vMIN..MAX" from the start of a connection's data. */
export function readHandshake(data: Buffer): HandshakeResult {
  const prefixLength = Math.min(data.length, API_PREFIX.length);
  if (!data.subarray(0, prefixLength).equals(API_PREFIX.subarray(0, prefixLength))) {
    return { state: 'invalid', reason: 'the connection did not start with "API\\0"' };
  }
  if (data.length < API_PREFIX.length + 4) return { state: 'incomplete' };
  const length = data.readUInt32BE(API_PREFIX.length);
  if (length > 1024) return { state: 'invalid', reason: `handshake length ${length} is too long` };
  const start = API_PREFIX.length + 4;
  if (data.length < start + length) return { state: 'incomplete' };
  const text = data
    .subarray(start, start + length)
    .toString('utf8')
    .replace(/\0+$/, '');
  const range = parseVersionRange(text.split('\0')[0]);
  if (!range) return { state: 'invalid', reason: `unreadable version range "${text}"` };
  return { state: 'done', range, rest: data.subarray(start + length) };
}

export class FieldUnderrun extends Error {}

/** Reads the fields of one message in order, as the TWS API's decoder does. */
export class FieldReader {
  private index = 0;

  constructor(private readonly fields: readonly string[]) {}

  get remaining(): number {
    return this.fields.length - this.index;
  }

  str(): string {
    if (this.index >= this.fields.length) throw new FieldUnderrun(`message ended after ${this.fields.length} fields`);
    return this.fields[this.index++];
  }

  /** An integer; empty is 0. */
  int(): number {
    const s = this.str();
    if (s === '') return 0;
    const n = Number.parseInt(s, 10);
    return Number.isNaN(n) ? 0 : n;
  }

  /** A decimal; empty or unreadable is undefined. */
  num(): number | undefined {
    const s = this.str();
    if (s === '') return undefined;
    const n = Number.parseFloat(s);
    return Number.isNaN(n) ? undefined : n;
  }

  bool(): boolean {
    const s = this.str();
    return s === '1' || s.toLowerCase() === 'true';
  }

  skip(count: number): void {
    for (let i = 0; i < count; i++) this.str();
  }
}
