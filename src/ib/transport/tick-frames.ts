/**
 * The four tick messages (TICK_PRICE 1, TICK_SIZE 2, TICK_GENERIC 45,
 * TICK_STRING 46) read in one pass: nearly every message of a stream. The
 * library splits each message into an array of fields, copies it twice (once
 * for its `received` event, once into its decoder's queue), takes each field
 * off the front of that queue and queues the events before it emits them;
 * for a tick that is most of what the extension host allocates while quotes
 * stream. This reads the same message with a scan for its NULs and emits the
 * same events, in the same order, with the same values, through the same
 * controller.emitEvent (so `result` and `all` follow as before), as the
 * library's decodeMsg_TICK_PRICE / _SIZE / _GENERIC / _STRING with
 * readInt/readDouble/readDecimal/readBool/readStr. test/unit/tick-frames.test.ts
 * holds the two to each other on real TWS messages and on every tick type.
 *
 * Only the exact layouts the library reads: a message with fewer or more
 * fields is left to the library, which reports it as it always did. Like
 * HISTORICAL_DATA (historical-data-frame.ts), these emit no `received` event.
 */
import { EventName } from '../ib-lib';
import { libraryDecimal as decimal, libraryDouble as double, libraryInt as int } from './library-values';

// the event names, read once (ib-lib's EventName answers each read through a Proxy)
const TICK_PRICE = EventName.tickPrice;
const TICK_SIZE = EventName.tickSize;
const TICK_GENERIC = EventName.tickGeneric;
const TICK_STRING = EventName.tickString;

/**
 * The size tick a price tick of message version 2 or later also stands for,
 * as the library's decoder maps them (TickType: BID 1 -> BID_SIZE 0, ASK 2 ->
 * ASK_SIZE 3, LAST 4 -> LAST_SIZE 5, and the delayed 66, 67, 68 -> 69, 70,
 * 71). It emits the size only when that number is not 0, so never BID's.
 */
const SIZE_TICK_OF: Readonly<Record<number, number>> = { 1: 0, 2: 3, 4: 5, 66: 69, 67: 70, 68: 71 };

/** Field ends (the index of each NUL) of a message, at most `max` + 1 of them: more means a layout this does not read. */
const ends: number[] = [];

/** How many fields `text` has, their ends in `ends`; `max + 1` when it has more than `max`. */
function scan(text: string, max: number): number {
  let n = 0;
  for (let i = text.indexOf('\0'); i >= 0 && n <= max; i = text.indexOf('\0', i + 1)) ends[n++] = i;
  return n;
}

/** Field k (0-based) of the message last scanned. */
function field(text: string, k: number): string {
  return text.slice(k === 0 ? 0 : ends[k - 1] + 1, ends[k]);
}

type Emit = (eventName: string, ...args: unknown[]) => void;

/** The message id of a tick message (1, 2, 45 or 46), or 0. */
function tickMessageId(text: string): number {
  const a = text.charCodeAt(0);
  const b = text.charCodeAt(1);
  if (b === 0) return a === 49 /* 1 */ ? 1 : a === 50 /* 2 */ ? 2 : 0;
  if (a !== 52 /* 4 */ || text.charCodeAt(2) !== 0) return 0;
  return b === 53 /* 5 */ ? 45 : b === 54 /* 6 */ ? 46 : 0;
}

/**
 * Emits the events of a tick message as the library would; false, emitting
 * nothing, when `text` is another message or not in the layout described above.
 */
export function emitTickMessage(text: string, emit: Emit): boolean {
  const id = tickMessageId(text);
  if (id === 0) return false;
  if (id !== 1) {
    // 2, 45 and 46: id, version, ticker id, tick type, value
    if (text.charCodeAt(text.length - 1) !== 0 || scan(text, 5) !== 5) return false;
    const tickerId = int(field(text, 2));
    const tickType = int(field(text, 3));
    const value = field(text, 4);
    if (id === 2) emit(TICK_SIZE, tickerId, tickType, decimal(value));
    else if (id === 45) emit(TICK_GENERIC, tickerId, tickType, double(value));
    else emit(TICK_STRING, tickerId, tickType, value);
    return true;
  }
  // 1: id, version, ticker id, tick type, price, then a size from version 2 and an attribute mask from version 3
  if (text.charCodeAt(text.length - 1) !== 0) return false;
  const fields = scan(text, 7);
  if (fields < 2) return false;
  const version = int(field(text, 1));
  if (fields !== (version >= 3 ? 7 : version >= 2 ? 6 : 5)) return false;
  const tickerId = int(field(text, 2));
  const tickType = int(field(text, 3));
  const price = double(field(text, 4));
  const size = version >= 2 ? decimal(field(text, 5)) : undefined;
  const canAutoExecute = version >= 3 ? !!parseInt(field(text, 6)) : undefined;
  emit(TICK_PRICE, tickerId, tickType, price, canAutoExecute);
  const sizeTick = version >= 2 ? SIZE_TICK_OF[tickType] : undefined;
  if (sizeTick) emit(TICK_SIZE, tickerId, sizeTick, size);
  return true;
}
