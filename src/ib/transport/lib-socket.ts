/**
 * What the transport does to @stoqey/ib's socket (its private
 * controller.socket), without editing the library.
 *
 * The FrameReader takes the place of the library's own framing: its Socket hands every TCP chunk to its own `onData` method
 * (`.on("data", (data) => this.onData(data))`), which cuts the chunk into
 * messages and hands each, as text, to its `onMessage` method. Replacing
 * `onData` on the instance puts the reader there: each message goes to the
 * same `onMessage`, and a chunk with a bad frame length hands on nothing; the
 * socket is closed and `onCorrupt` says why.
 */
import type { IBApi } from '@stoqey/ib';
import { EventName } from '../ib-lib';
import { FrameReader } from './frame-reader';
import type { SendLine } from './request-table';
import { SYNT_REALTIME_BARS } from '../facts/server-versions';
import { emitHistoricalData, isHistoricalData } from './historical-data-frame';
import { emitTickMessage } from './tick-frames';

interface LibSocket {
  /** The version the server gave in the handshake (0 before it). */
  serverVersion?: number;
  onConnect(): void;
  onData(data: Buffer): void;
  onMessage(text: string): void;
  disconnect(): void;
  /** The end of a message that did not end with a NUL, which the library puts before the next one. */
  dataFragment?: string;
  /** Before the first message (the server's version), which the library reads as that whatever it holds. */
  neverReceived?: boolean;
  /** Whether the stream is framed (API version 100 and later: always, unless the library was told otherwise). */
  useV100Plus?: boolean;
  /** The TCP socket, once connecting. */
  client?: { setNoDelay?(noDelay: boolean): unknown };
  /** Writes one message (an array of fields) to the TCP socket. */
  send?(tokens: unknown): void;
}

function isLibSocket(x: unknown): x is LibSocket {
  const s = x as Partial<LibSocket> | undefined;
  return typeof s?.onConnect === 'function' && typeof s.onData === 'function' && typeof s.onMessage === 'function' && typeof s.disconnect === 'function';
}

/** The controller inside an IBApi: where the library's decoder hands its events on, and its send queue. */
interface LibController {
  emitEvent(eventName: string, ...args: unknown[]): void;
  /** Queues one outgoing message (function-rate-limit: maxReqPerSec a second, in order), which it hands to socket.send in its turn. */
  rateLimiter(tokens: unknown): void;
}

/** The Socket inside an IBApi (its private controller.socket). */
function librarySocket(api: IBApi): LibSocket {
  const socket: unknown = (api as unknown as { controller?: { socket?: unknown } }).controller?.socket;
  if (!isLibSocket(socket)) throw new Error('@stoqey/ib: IBApi has no controller.socket.onData/onMessage (unsupported library version)');
  return socket;
}

/**
 * The most fields of one message handed to the library. Its decoder takes each field off the front of an array
 * (`Array.prototype.shift`), so a message costs the square of its fields: one frame of 300,000 empty fields,
 * well under IB's 16 MB, held the extension host for 8 s, a 16 MB one for hours. The messages the extension
 * asks for hold a few hundred at most (contract details, symbol search); HISTORICAL_DATA, the one that runs
 * to hundreds of thousands, is read here in one pass. A message past this is a corrupt (or hostile) stream.
 */
export const MAX_LIBRARY_FIELDS = 10_000;

/** Fields in a message (each ends with a NUL). */
function fieldCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\0'); i >= 0; i = text.indexOf('\0', i + 1)) n++;
  return n;
}

/** Socket reads, counted across every connection of the process (a number is never used twice): every message of one read arrived at the same moment. */
export interface SocketReads {
  readonly count: number;
}
const reads = { count: 0 };

/** Reads (and guards) the incoming stream of one IBApi for the life of its socket (one connection attempt). */
export function guardIncomingStream(api: IBApi, onCorrupt: (problem: string) => void): SocketReads {
  const socket = librarySocket(api);
  const unframed = socket.onData;
  const reader = new FrameReader();
  let broken = false;
  const controller = (api as unknown as { controller?: Partial<LibController> }).controller;
  const emitEvent = typeof controller?.emitEvent === 'function' ? controller.emitEvent.bind(controller) : undefined;
  const emit = emitEvent ? (...args: unknown[]) => emitEvent(EventName.historicalData, ...args) : undefined;
  let tooLong: string | undefined;
  // made once, not once per chunk; ticks and HISTORICAL_DATA read in one pass (tick-frames.ts, historical-data-frame.ts),
  // the rest by the library (and everything after a message that left the library a fragment to put before the next)
  const toLibrary = (text: string): void => {
    if (tooLong !== undefined) return;
    if (emitEvent && !socket.dataFragment && !socket.neverReceived && emitTickMessage(text, emitEvent)) return;
    if (emit && isHistoricalData(text) && (socket.serverVersion ?? 0) >= SYNT_REALTIME_BARS && emitHistoricalData(text, emit)) return;
    // (a message of more fields has more characters: nothing counted on the way of a tick)
    if (text.length > MAX_LIBRARY_FIELDS) {
      const fields = fieldCount(text);
      if (fields > MAX_LIBRARY_FIELDS) {
        const id = text.slice(0, Math.min(text.indexOf('\0') >>> 0, 12));
        tooLong = `IB Gateway/TWS sent a message of ${fields} fields (message id ${JSON.stringify(id)}; the extension reads at most ${MAX_LIBRARY_FIELDS} in one message outside history bars): the stream is corrupt`;
        return;
      }
    }
    socket.onMessage(text);
  };
  socket.onData = function framed(this: LibSocket, data: Buffer): void {
    if (broken) return;
    reads.count++;
    // the library's framing is also its only reader of an unframed stream (before API version 100)
    if (this.useV100Plus === false) return unframed.call(this, data);
    const problem = reader.read(data, toLibrary) ?? tooLong;
    if (problem === undefined) return;
    broken = true;
    socket.disconnect();
    onCorrupt(problem);
  };
  return reads;
}

/**
 * Requests leave at once: the library never turns off Nagle's algorithm, so a
 * small request written while the one before is not yet acknowledged waits
 * for that acknowledgement (up to 40 ms where the other side delays its ACKs),
 * e.g. a contract lookup right after a quote line. Every request is one
 * small message written whole, so nothing is gained by holding it back.
 */
export function sendWithoutDelay(api: IBApi): void {
  const socket = librarySocket(api);
  const opened = socket.onConnect;
  socket.onConnect = function connected(this: LibSocket): void {
    this.client?.setNoDelay?.(true);
    opened.call(this);
  };
}

/**
 * Which outgoing messages have left the library's send queue. Every request
 * the encoder makes goes into the controller's rate limiter, which hands each
 * message, the same array it was given, to socket.send in its turn, in order:
 * each message is numbered as it enters and counted as sent when it reaches
 * the socket. The handshake, written to the socket directly, is not counted.
 */
export function trackSending(api: IBApi): SendLine {
  const socket = librarySocket(api);
  const controller = (api as unknown as { controller?: Partial<LibController> }).controller;
  const enqueue = controller?.rateLimiter;
  const write = socket.send;
  if (!controller || typeof enqueue !== 'function' || typeof write !== 'function') {
    throw new Error('@stoqey/ib: IBApi has no controller.rateLimiter/socket.send (unsupported library version)');
  }
  const numbers = new WeakMap<object, number>();
  /** Waits in the order of their message number. */
  const waits: Array<{ n: number; fn?: () => void }> = [];
  const line = { queued: 0, sent: 0, whenSent };

  function whenSent(n: number, fn: () => void): () => void {
    if (n <= line.sent) {
      fn();
      return () => undefined;
    }
    const wait: { n: number; fn?: () => void } = { n, fn };
    let at = waits.length;
    while (at > 0 && waits[at - 1].n > n) at--;
    waits.splice(at, 0, wait);
    return () => void (wait.fn = undefined);
  }

  controller.rateLimiter = function queue(this: unknown, tokens: unknown): void {
    if (typeof tokens === 'object' && tokens !== null) numbers.set(tokens, ++line.queued);
    enqueue.call(this, tokens);
  };
  socket.send = function sent(this: LibSocket, tokens: unknown): void {
    try {
      write.call(this, tokens);
    } finally {
      const n = typeof tokens === 'object' && tokens !== null ? numbers.get(tokens) : undefined;
      if (n !== undefined && n > line.sent) {
        line.sent = n;
        while (waits.length && waits[0].n <= n) waits.shift()!.fn?.();
      }
    }
  };
  return line;
}
