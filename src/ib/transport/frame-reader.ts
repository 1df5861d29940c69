/**
 * The incoming TWS API stream, cut into messages, with every length checked.
 *
 * From API version 100 on, every message from IB Gateway/TWS is a frame: a
 * 4-byte big-endian length, then that many bytes. @stoqey/ib 1.6.10 reads the
 * length as a signed int and never rejects a negative one; for -4 its
 * `while (buffer.length > 4)` loop never shrinks the buffer and never ends, and
 * the extension host freezes for good. A length outside IB's own bounds means
 * the stream is corrupt (or hostile): the reader says so before any message of
 * that chunk is handed on, and the connection is closed.
 *
 * It also does the library's framing with less work: the library joins every
 * chunk to what was left of the one before (a copy of the whole chunk) and
 * makes two buffer objects per message before decoding it to text; here a
 * message whole in its chunk is decoded straight from it, and only a message
 * split across chunks is copied (its own bytes, once).
 */

/** IB's largest message: 0xFFFFFF bytes, 16 MB - 1 (MAX_MSG_LEN in IB's clients: ibapi/common.py, EDecoder.cpp). */
export const MAX_MSG_LEN = 0xffffff;

const HEADER_LEN = 4;

function lengthAt(b: Uint8Array, i: number): number {
  // `|` and `<<` give a signed 32-bit int, as readInt32BE does
  return (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
}

export class FrameReader {
  /** The start of a frame that a chunk ended inside of, while its header is not whole (at most 4 bytes). */
  private parts: Buffer[] = [];
  /** That frame, once its header is whole: one buffer of its size, filled as its bytes come. */
  private frame: Buffer | undefined;
  private partBytes = 0;
  private problem: string | undefined;

  /**
   * Reads the next chunk of the stream, handing each whole message to
   * `onMessage` as text; a sentence saying what is wrong when a length is out
   * of bounds (then nothing more is handed on, now or later), else undefined.
   */
  read(chunk: Buffer, onMessage: (text: string) => void): string | undefined {
    if (this.problem) return this.problem;
    const n = chunk.length;
    let i = 0;
    if (this.partBytes > 0) {
      i = this.finishPart(chunk, onMessage);
      if (this.problem || i < 0) return this.problem;
    }
    // check every header of the chunk before handing on any of its messages
    let end = i;
    while (n - end >= HEADER_LEN) {
      const length = lengthAt(chunk, end);
      if (length < 0 || length > MAX_MSG_LEN) return this.fail(length);
      end += HEADER_LEN + length;
    }
    while (n - i >= HEADER_LEN) {
      const stop = i + HEADER_LEN + lengthAt(chunk, i);
      if (stop > n) break;
      onMessage(chunk.toString('utf8', i + HEADER_LEN, stop));
      i = stop;
    }
    if (i < n) this.keep(chunk.subarray(i));
    return undefined;
  }

  /** Completes the frame begun in earlier chunks; the offset in `chunk` after it, or -1 when `chunk` ends inside it too. */
  private finishPart(chunk: Buffer, onMessage: (text: string) => void): number {
    let i = 0;
    if (!this.frame) {
      i = Math.min(HEADER_LEN - this.partBytes, chunk.length);
      this.keep(chunk.subarray(0, i));
      if (!this.frame) return this.problem ? 0 : -1;
    }
    const frame = this.frame;
    const missing = frame.length - this.partBytes;
    if (chunk.length - i < missing) {
      this.keep(chunk.subarray(i));
      return -1;
    }
    chunk.copy(frame, this.partBytes, i, i + missing);
    this.frame = undefined;
    this.partBytes = 0;
    onMessage(frame.toString('utf8', HEADER_LEN));
    return i + missing;
  }

  /**
   * Keeps bytes of an unfinished frame: copied into the frame's own buffer
   * once its length is known (a frame trickled a byte a read costs its own
   * size, not a buffer object per read).
   */
  private keep(bytes: Buffer): void {
    if (!bytes.length) return;
    if (this.frame) {
      bytes.copy(this.frame, this.partBytes);
      this.partBytes += bytes.length;
      return;
    }
    this.parts.push(Buffer.from(bytes)); // a copy: a view would hold the whole chunk it came in
    this.partBytes += bytes.length;
    if (this.partBytes < HEADER_LEN) return;
    const head = Buffer.concat(this.parts, this.partBytes);
    this.parts = [];
    const length = lengthAt(head, 0);
    if (length < 0 || length > MAX_MSG_LEN) {
      this.fail(length);
      return;
    }
    this.frame = Buffer.allocUnsafe(HEADER_LEN + length);
    head.copy(this.frame, 0);
  }

  private fail(length: number): string {
    this.parts = [];
    this.frame = undefined;
    this.partBytes = 0;
    this.problem = `IB Gateway/TWS sent a message with length ${length} (IB allows 0 to ${MAX_MSG_LEN} bytes): the stream is corrupt`;
    return this.problem;
  }
}
