/**
 * REQ_MKT_DATA / CANCEL_MKT_DATA / REQ_MARKET_DATA_TYPE: streaming and
 * snapshot quotes, live or delayed, as TWS sends them: MARKET_DATA_TYPE
 * first, then TICK_REQ_PARAMS (recorded in that order), then TICK_PRICE (with
 * its size) followed by a separate TICK_SIZE, the last trade time as
 * TICK_STRING, volume and the session's open/high/low/close; a snapshot ends
 * with TICK_SNAPSHOT_END.
 */
import { encodeFrame, type Field } from '../codec';
import type { ClientLink, Handler, MarketDataLine, SimContext } from '../context';
import { describeContract, readMarketDataContract, instrumentFor } from '../contract-query';
import { IN, TICK } from '../messages';
import type { Instrument, SessionStats, SimTick } from '../market/types';
import { MSG_10089, MSG_10167, MSG_10168, MSG_MAX_TICKERS, msg354 } from '../facts/tws-errors';
import { wireSize, wireVolume } from '../wire-units';
import { wirePrice } from '../market';

/** Bytes waiting for a client beyond which paced ticks are skipped. */
export const SLOW_CLIENT_BACKLOG = 4 * 1024 * 1024;

/** How far behind delayed data runs. */
export const DELAY_MS = 15 * 60 * 1000;

const LIVE_TYPES = {
  bid: TICK.BID,
  ask: TICK.ASK,
  last: TICK.LAST,
  bidSize: TICK.BID_SIZE,
  askSize: TICK.ASK_SIZE,
  lastSize: TICK.LAST_SIZE,
  high: TICK.HIGH,
  low: TICK.LOW,
  volume: TICK.VOLUME,
  close: TICK.CLOSE,
  open: TICK.OPEN,
  lastTimestamp: TICK.LAST_TIMESTAMP,
};
const DELAYED_TYPES = {
  bid: TICK.DELAYED_BID,
  ask: TICK.DELAYED_ASK,
  last: TICK.DELAYED_LAST,
  bidSize: TICK.DELAYED_BID_SIZE,
  askSize: TICK.DELAYED_ASK_SIZE,
  lastSize: TICK.DELAYED_LAST_SIZE,
  high: TICK.DELAYED_HIGH,
  low: TICK.DELAYED_LOW,
  volume: TICK.DELAYED_VOLUME,
  close: TICK.DELAYED_CLOSE,
  open: TICK.DELAYED_OPEN,
  lastTimestamp: TICK.DELAYED_LAST_TIMESTAMP,
};
type TickTypes = { [K in keyof typeof LIVE_TYPES]: number };

/** TWS's refusal of a snapshot with generic ticks (recorded in public logs with 'bO' and 'bQ'). */
const MSG_SNAPSHOT_GENERIC_TICKS = "Error validating request.-'bO' : cause - Snapshot market data subscription is not applicable to generic ticks";

/** Generic tick 233 (RTVolume) asks for TICK_STRING 48: "price;size;time ms;total volume;VWAP;single trade". */
const GENERIC_RT_VOLUME = '233';
/** Generic tick 165 (misc. stats) asks, among others, for the average daily volume, tick 21 (lots for US stocks, like tick 8). */
const GENERIC_MISC_STATS = '165';
const AVG_VOLUME = 21;
const RT_VOLUME = 48;
const DELAYED_HALTED = 90;
/** The halted tick's value for a trading stock, as recorded: "0.0", not "0". */
const NOT_HALTED = '0.0';

/** Messages for one quote state; `prev` limits them to what changed (undefined: everything). Sizes and volume in the units of `serverVersion`. */
export function quoteMessages(
  reqId: number,
  inst: Instrument,
  tick: SimTick,
  stats: SessionStats,
  types: TickTypes,
  prev: SimTick | undefined,
  prevStats: SessionStats | undefined,
  serverVersion: number,
): Field[][] {
  const out: Field[][] = [];
  const price = (type: number, value: number, size?: number, sizeType?: number): void => {
    // TICK_PRICE version 6 as TWS sends it: reqId, tickType, price, size, attribMask; then the size again as TICK_SIZE.
    const wire = size === undefined ? 0 : wireSize(inst, size, serverVersion);
    out.push([IN.TICK_PRICE, 6, reqId, type, wirePrice(value, inst.minTick), wire, 0]);
    if (size !== undefined && sizeType !== undefined) out.push([IN.TICK_SIZE, 6, reqId, sizeType, wire]);
  };
  const size = (type: number, value: number): void => {
    out.push([IN.TICK_SIZE, 6, reqId, type, value]);
  };
  // An index is a calculated value: its last, high, low and close only, no bid, ask, sizes, volume or open (docs/real-tws-facts.md §3)
  const index = inst.secType === 'IND';
  const bidChanged = !index && (!prev || prev.bid !== tick.bid || prev.bidSize !== tick.bidSize);
  const askChanged = !index && (!prev || prev.ask !== tick.ask || prev.askSize !== tick.askSize);
  // Never a crossed book in between: when the price rises past the old ask, the new ask goes out first.
  if (prev && tick.bid >= prev.ask) {
    if (askChanged) price(types.ask, tick.ask, tick.askSize, types.askSize);
    if (bidChanged) price(types.bid, tick.bid, tick.bidSize, types.bidSize);
  } else {
    if (bidChanged) price(types.bid, tick.bid, tick.bidSize, types.bidSize);
    if (askChanged) price(types.ask, tick.ask, tick.askSize, types.askSize);
  }
  if (!inst.quoteOnly) {
    if (index) {
      if (!prev || prev.last !== tick.last) {
        price(types.last, tick.last);
        out.push([IN.TICK_STRING, 6, reqId, types.lastTimestamp, String(Math.floor(tick.time / 1000))]);
      }
    } else {
      if (!prev || prev.last !== tick.last || prev.lastSize !== tick.lastSize) {
        price(types.last, tick.last, tick.lastSize, types.lastSize);
        out.push([IN.TICK_STRING, 6, reqId, types.lastTimestamp, String(Math.floor(tick.time / 1000))]);
      }
      const volume = wireVolume(inst, tick.volume, serverVersion);
      if (!prev || wireVolume(inst, prev.volume, serverVersion) !== volume) size(types.volume, volume);
    }
  }
  if (!prevStats || prevStats.high !== stats.high) price(types.high, stats.high);
  if (!prevStats || prevStats.low !== stats.low) price(types.low, stats.low);
  if (!prevStats || prevStats.open !== stats.open || prevStats.prevClose !== stats.prevClose) {
    price(types.close, stats.prevClose);
    if (!index) price(types.open, stats.open);
  }
  return out;
}

/** The type TWS reports: frozen variants when the instrument is not trading and frozen data was asked for. */
function reportedType(requested: number, delayed: boolean, open: boolean): number {
  if (delayed) return !open && requested === 4 ? 4 : 3;
  return !open && (requested === 2 || requested === 4) ? 2 : 1;
}

interface LineState {
  prev?: SimTick;
  /** The market was closed at the last push (what it sent then stands until it opens). */
  closed?: boolean;
  prevStats?: SessionStats;
  reported?: number;
  /** Generic tick 233 was asked for. */
  rtVolume?: boolean;
  /** Generic tick 165 was asked for (only its tick 21, average volume, is served). */
  avgVolume?: boolean;
}

/** RTVolume (tick 48): "price;size;time ms;total volume;VWAP;single trade", sizes in the units of the version's size and volume ticks. */
function rtVolumeText(ctx: SimContext, inst: Instrument, tick: SimTick, serverVersion: number): string {
  const nowSec = Math.floor(tick.time / 1000);
  const session = ctx.market.bars(inst, { endTime: nowSec + 1, durationSeconds: 1, barSizeSeconds: 86400, whatToShow: 'TRADES', useRTH: false });
  const vwap = session.length ? session[session.length - 1].wap : tick.last;
  return `${wirePrice(tick.last, inst.minTick)};${wireSize(inst, tick.lastSize, serverVersion)};${tick.time};${wireVolume(inst, tick.volume, serverVersion)};${Number(vwap.toFixed(8))};true`;
}

/**
 * A live line on a closed market has no book: IB "commonly" sends -1 for the bid and the ask ("to receive the last
 * known bid/ask price before the market close, switch to market data type 2", IB's market data types page), and
 * users see every US stock's bid and ask go to -1 at 20:00 New York time until 04:00. The last trade, the day's
 * figures and the close stay. Frozen (2) and delayed lines keep the last book.
 */
function closedBook(tick: SimTick): SimTick {
  return { ...tick, bid: -1, ask: -1, bidSize: 0, askSize: 0 };
}

/** TICK_REQ_PARAMS: minTick, the BBO exchange key ("9c0001" recorded for a SMART stock), snapshot permissions 3. */
function tickReqParams(line: MarketDataLine): Field[] {
  return [IN.TICK_REQ_PARAMS, line.reqId, String(line.inst.minTick), line.inst.exchange === 'SMART' ? '9c0001' : '', 3];
}

/** Sends what changed since the last call; once more as a market closes, then nothing while it stays closed. */
function pushQuote(link: ClientLink, ctx: SimContext, line: MarketDataLine, state: LineState): void {
  const now = ctx.clock.now() - (line.delayed ? DELAY_MS : 0);
  const open = ctx.market.isOpen(line.inst, now, false);
  const type = reportedType(line.dataType, line.delayed, open);
  if (state.reported !== type) {
    link.send([IN.MARKET_DATA_TYPE, 1, line.reqId, type]);
    // a new line: TICK_REQ_PARAMS right after its first MARKET_DATA_TYPE, before any tick (rust-ibapi #236's log: 58, 81, ticks)
    if (state.reported === undefined) link.send(tickReqParams(line));
    state.reported = type;
  }
  if (!open && state.prev && state.closed) return;
  state.closed = !open;
  const at = ctx.market.tickAt(line.inst, now);
  const tick = !open && type === 1 && line.inst.secType !== 'IND' ? closedBook(at) : at;
  const stats = ctx.market.sessionStats(line.inst, now);
  const first = !state.prev;
  for (const m of quoteMessages(line.reqId, line.inst, tick, stats, line.delayed ? DELAYED_TYPES : LIVE_TYPES, state.prev, state.prevStats, link.serverVersion))
    link.send(m);
  // Stocks carry the halted flag (tick 49; 90 delayed), "0.0" = trading, written as TWS writes it once a line opens.
  if (first && line.inst.secType === 'STK') link.send([IN.TICK_GENERIC, 6, line.reqId, line.delayed ? DELAYED_HALTED : TICK.HALTED, NOT_HALTED]);
  if (first && state.avgVolume && !line.inst.quoteOnly)
    link.send([IN.TICK_SIZE, 6, line.reqId, AVG_VOLUME, wireVolume(line.inst, line.inst.averageVolume, link.serverVersion)]);
  if (state.rtVolume && !line.inst.quoteOnly && (first || state.prev!.last !== tick.last || state.prev!.lastSize !== tick.lastSize)) {
    link.send([IN.TICK_STRING, 6, line.reqId, RT_VOLUME, rtVolumeText(ctx, line.inst, tick, link.serverVersion)]);
  }
  state.prev = tick;
  state.prevStats = stats;
}

export const handleReqMktData: Handler = (link, r, ctx) => {
  r.int(); // version
  const reqId = r.int();
  const contract = readMarketDataContract(r);
  const genericTicks = r.str();
  const snapshot = r.bool();
  const regulatory = r.bool();
  link.log(`reqMktData #${reqId} ${describeContract(contract)}${snapshot || regulatory ? ' snapshot' : ''}${genericTicks ? ` ticks ${genericTicks}` : ''}`);
  if (link.marketData.has(reqId)) {
    link.sendError(reqId, 322, `Error processing request.-'bW' : cause - Duplicate ticker id ${reqId}`);
    return;
  }
  if ((snapshot || regulatory) && genericTicks.trim()) {
    // TWS (IB message 414): a snapshot takes no generic ticks; refused whole, nothing sent
    link.sendError(reqId, 321, MSG_SNAPSHOT_GENERIC_TICKS);
    return;
  }
  const inst = instrumentFor(link, reqId, ctx.market.universe, contract);
  if (!inst) return;
  const requested = link.marketDataType;
  let delayed = false;
  if (inst.apiSubscriptionMissing) {
    // 10089: the data needs an API subscription; delayed data follows when it was asked for (rust-ibapi treats 10089 as advisory).
    link.sendError(reqId, 10089, MSG_10089);
    if (requested < 3) return;
    delayed = true;
  } else if (!inst.liveSubscribed) {
    if (inst.delayedAvailable === false) {
      link.sendError(reqId, 10168, MSG_10168);
      return;
    }
    if (requested < 3) {
      link.sendError(reqId, 354, msg354(inst.secType));
      return;
    }
    delayed = true;
  }
  const isSnapshot = snapshot || regulatory;
  if (!isSnapshot && ctx.limits.maxMarketDataLines > 0 && ctx.marketDataLineCount() >= ctx.limits.maxMarketDataLines) {
    link.sendError(reqId, 101, MSG_MAX_TICKERS);
    return;
  }
  link.wakeFarm('market', inst);
  if (delayed && !inst.apiSubscriptionMissing) link.sendError(reqId, 10167, MSG_10167);
  const generic = genericTicks.split(',').map((t) => t.trim());
  const state: LineState = { rtVolume: generic.includes(GENERIC_RT_VOLUME), avgVolume: generic.includes(GENERIC_MISC_STATS) };
  const line: MarketDataLine = { reqId, inst, dataType: requested, delayed, stop: () => undefined };
  if (isSnapshot) {
    pushQuote(link, ctx, line, state);
    link.send([IN.TICK_SNAPSHOT_END, 1, reqId]);
    endedSnapshots(link).add(reqId);
    return;
  }
  link.marketData.set(reqId, line);
  if (ctx.takeSilentLine()) {
    link.log(`market data #${reqId}: accepted and never answered (fault)`);
    return;
  }
  pushQuote(link, ctx, line, state);
  if (ctx.tickIntervalMs > 0) {
    const timer = ctx.scheduler.setInterval(() => {
      if (link.closed) return line.stop();
      try {
        // A client that does not read gets no more ticks until it catches up (the next quote carries every change).
        if (ctx.dataFlowing() && link.backlog() < SLOW_CLIENT_BACKLOG) pushQuote(link, ctx, line, state);
      } catch (e) {
        line.stop();
        link.log(`market data #${reqId} stopped: ${e instanceof Error ? e.message : String(e)}`);
      }
    }, ctx.tickIntervalMs);
    line.stop = () => ctx.scheduler.clear(timer);
  } else {
    startFirehose(link, ctx);
  }
};

const snapshotsEnded = new WeakMap<ClientLink, Set<number>>();

/** Ids of snapshots that ended (TICK_SNAPSHOT_END): dead ids, as TWS treats them. */
function endedSnapshots(link: ClientLink): Set<number> {
  let ids = snapshotsEnded.get(link);
  if (!ids) snapshotsEnded.set(link, (ids = new Set()));
  if (ids.size > 10_000) ids.clear();
  return ids;
}

export const handleCancelMktData: Handler = (link, r) => {
  r.int(); // version
  const reqId = r.int();
  link.log(`cancelMktData #${reqId}`);
  const line = link.marketData.get(reqId);
  if (line) {
    line.stop();
    link.marketData.delete(reqId);
    return;
  }
  // Recorded from TWS for a snapshot after its end; IB's message table gives 300 for any cancel of a ticker id
  // with no subscription (never opened, refused, already cancelled)
  endedSnapshots(link).delete(reqId);
  link.sendError(reqId, 300, `Can't find EId with tickerId:${reqId}`);
};

export const handleReqMarketDataType: Handler = (link, r) => {
  r.int(); // version
  const type = r.int();
  link.log(`reqMarketDataType ${type}`);
  if (type < 1 || type > 4) {
    link.sendError(-1, 321, `Error validating request.-'bD' : cause - Invalid market data type ${type}`);
    return;
  }
  // Applies to the lines opened from now on; each of them reports its type with MARKET_DATA_TYPE.
  link.marketDataType = type;
};

const pumps = new WeakSet<ClientLink>();
const FIREHOSE_BACKLOG = 1024 * 1024;

/**
 * Firehose (tickIntervalMs 0): full quotes for every line as fast as the
 * socket drains, in chunks, pausing whenever the socket asks to wait so
 * nothing is buffered without bound. It streams regardless of the session
 * calendar: it is a load generator.
 */
export function startFirehose(link: ClientLink, ctx: SimContext): void {
  if (pumps.has(link)) return;
  pumps.add(link);
  const pump = (): void => {
    try {
      pumpOnce();
    } catch (e) {
      pumps.delete(link);
      link.log(`firehose stopped: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const pumpOnce = (): void => {
    if (link.closed || link.marketData.size === 0) {
      pumps.delete(link);
      return;
    }
    if (!ctx.dataFlowing()) {
      ctx.scheduler.setTimeout(pump, 20);
      return;
    }
    // One quote per line per pump, in six variants (bid/ask a tick apart, sizes apart) so every message is a change.
    const now = ctx.clock.now();
    const variants: Buffer[] = [];
    for (let v = 0; v < 6; v++) {
      const frames: Buffer[] = [];
      for (const line of link.marketData.values()) {
        const t = ctx.market.tickAt(line.inst, now - (line.delayed ? DELAY_MS : 0));
        const types = line.delayed ? DELAYED_TYPES : LIVE_TYPES;
        const step = (v % 2) * line.inst.minTick;
        frames.push(
          encodeFrame([
            IN.TICK_PRICE,
            6,
            line.reqId,
            types.bid,
            wirePrice(t.bid + step, line.inst.minTick),
            wireSize(line.inst, t.bidSize, link.serverVersion),
            0,
          ]),
          encodeFrame([IN.TICK_SIZE, 6, line.reqId, types.bidSize, wireSize(line.inst, t.bidSize, link.serverVersion) + (v % 3)]),
          encodeFrame([
            IN.TICK_PRICE,
            6,
            line.reqId,
            types.ask,
            wirePrice(t.ask + step, line.inst.minTick),
            wireSize(line.inst, t.askSize, link.serverVersion),
            0,
          ]),
          encodeFrame([IN.TICK_SIZE, 6, line.reqId, types.askSize, wireSize(line.inst, t.askSize, link.serverVersion) + (v % 3)]),
        );
      }
      variants.push(Buffer.concat(frames));
    }
    const chunk: Buffer[] = [];
    let bytes = 0;
    for (let round = 0; bytes < 64 * 1024; round++) {
      const b = variants[round % variants.length];
      chunk.push(b);
      bytes += b.length;
    }
    link.sendRaw(Buffer.concat(chunk, bytes));
    // At most FIREHOSE_BACKLOG bytes wait in user space; beyond that, wait for the socket to drain.
    if (link.backlog() < FIREHOSE_BACKLOG) setImmediate(pump);
    else link.onDrain(pump);
  };
  setImmediate(pump);
}
