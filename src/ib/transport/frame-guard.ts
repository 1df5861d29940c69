/**
 * A guard on the incoming TWS API stream, ahead of @stoqey/ib's decoder.
 *
 * From API version 100 on, every message from IB Gateway/TWS is a frame: a
 * 4-byte big-endian length, then that many bytes. @stoqey/ib 1.6.10 reads the
 * length as a signed int and never rejects a negative one; for -4 its
 * `while (buffer.length > 4)` loop never shrinks the buffer and never ends, and
 * the extension host freezes for good. A length outside IB's own bounds means
 * the stream is corrupt (or hostile): the guard says so before the library
 * sees a single byte of that chunk, and the connection is closed.
 *
 * It walks frame headers only (a body is skipped by counting), keeps no copy
 * of the data, and works across chunk boundaries: O(chunk) per chunk.
 */

/** IB's largest message: 0xFFFFFF bytes, 16 MB - 1 (MAX_MSG_LEN in IB's clients: ibapi/common.py, EDecoder.cpp). */
export const MAX_MSG_LEN = 0xffffff;

const HEADER_LEN = 4;

export class FrameGuard {
  /** Bytes of the current frame's body still to come. */
  private remaining = 0;
  /** How many header bytes of the next frame have been read, and their value so far. */
  private headerBytes = 0;
  private header = 0;
  private problem: string | undefined;

  /** Checks the next chunk of the stream; a sentence saying what is wrong, or undefined when it is sound. */
  check(chunk: Uint8Array): string | undefined {
    if (this.problem) return this.problem;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, n - i);
        this.remaining -= take;
        i += take;
        continue;
      }
      let length: number;
      if (this.headerBytes === 0 && n - i >= HEADER_LEN) {
        // the whole header in this chunk (the usual case): read at once
        length = (chunk[i] << 24) | (chunk[i + 1] << 16) | (chunk[i + 2] << 8) | chunk[i + 3];
        i += HEADER_LEN;
      } else {
        this.header = (this.header << 8) | chunk[i]; // `|` and `<<` give a signed 32-bit int, as readInt32BE does
        this.headerBytes++;
        i++;
        if (this.headerBytes < HEADER_LEN) continue;
        length = this.header;
        this.header = 0;
        this.headerBytes = 0;
      }
      if (length < 0 || length > MAX_MSG_LEN) {
        this.problem = `IB Gateway/TWS sent a message with length ${length} (IB allows 0 to ${MAX_MSG_LEN} bytes): the stream is corrupt`;
        return this.problem;
      }
      this.remaining = length;
    }
    return undefined;
  }
}
