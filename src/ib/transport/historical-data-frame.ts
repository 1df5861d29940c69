/**
 * HISTORICAL_DATA (17) read in one pass. @stoqey/ib's decoder takes every
 * field of a message off the front of an array (`Array.prototype.shift`, which
 * moves all the fields behind it), so a reply's cost grows with the square of
 * its bars: 20,000 bars (one request of 1-minute bars over a month with
 * extended hours) held the extension host for 3.5 s, 50,000 for a minute.
 * This reads the same message with one split and emits the same events, in
 * the same order, with the same values as the library's decoder
 * (decodeMsg_HISTORICAL_DATA with readStr/readDouble/readDecimal/readInt).
 *
 * Only the layout of servers from SYNT_REALTIME_BARS (124) on, which every
 * version the extension connects to has: 17, reqId, startDate, endDate,
 * itemCount, then per bar date, open, high, low, close, volume, WAP, barCount.
 * Anything else (another length, a count that is not a number) is left to the
 * library, which reports it as it always did.
 */
import { libraryDecimal as decimal, libraryDouble as double, libraryInt as int } from './library-values';

const HEADER = 5;
const BAR_FIELDS = 8;

/** Whether a message (as text, fields NUL-terminated) is a HISTORICAL_DATA one. */
export function isHistoricalData(text: string): boolean {
  return text.charCodeAt(0) === 49 /* 1 */ && text.charCodeAt(1) === 55 /* 7 */ && text.charCodeAt(2) === 0;
}

/**
 * Emits the events of a HISTORICAL_DATA message as the library would
 * (`historicalData` per bar, then the "finished-start-end" marker); false,
 * emitting nothing, when the message is not in the layout described above.
 */
export function emitHistoricalData(text: string, emit: (...args: unknown[]) => void): boolean {
  const f = text.split('\0');
  // every field ends with a NUL: the last piece is empty
  if (f.length < HEADER + 1 || f[f.length - 1] !== '') return false;
  const count = int(f[4]);
  if (!Number.isInteger(count) || count < 0 || f.length - 1 !== HEADER + count * BAR_FIELDS) return false;
  const reqId = int(f[1]);
  for (let i = HEADER; i < f.length - 1; i += BAR_FIELDS) {
    emit(reqId, f[i], double(f[i + 1]), double(f[i + 2]), double(f[i + 3]), double(f[i + 4]), decimal(f[i + 5]), int(f[i + 7]), decimal(f[i + 6]), undefined);
  }
  emit(reqId, `finished-${f[2]}-${f[3]}`, -1, -1, -1, -1, -1, -1, -1, false);
  return true;
}
