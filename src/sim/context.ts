/**
 * What a request handler sees of the gateway: the market, the clock, the
 * shared limits and the way back to its client.
 */
import type { Field, FieldReader } from './codec';
import type { SimClock } from './clock';
import type { HistoricalPacing, ResolvedLimits } from './limits';
import type { SimScheduler } from './scheduler';
import type { Instrument, Market } from './market/types';

/** A live streaming market-data line. */
export interface MarketDataLine {
  reqId: number;
  inst: Instrument;
  /** 1 live, 2 frozen, 3 delayed, 4 delayed-frozen, as requested when the line opened. */
  dataType: number;
  /** Sends delayed tick types (the account has no live subscription for the instrument). */
  delayed: boolean;
  stop(): void;
}

/** A keepUpToDate historical subscription. */
export interface HistoricalLine {
  reqId: number;
  inst: Instrument;
  stop(): void;
}

/** One client connection, as handlers use it. */
export interface ClientLink {
  readonly clientId: number;
  /** The protocol version agreed in the handshake (MIN_SERVER_VERSION..SERVER_VERSION). */
  readonly serverVersion: number;
  /** Sends one message; false when the socket asks to wait (backpressure). */
  send(fields: readonly Field[]): boolean;
  /** Sends already framed bytes (many messages at once); false on backpressure. */
  sendRaw(frames: Buffer): boolean;
  sendError(id: number, code: number, message: string): void;
  /** Bytes written but not yet handed to the operating system. */
  backlog(): number;
  /** Runs once when the socket has drained its buffer. */
  onDrain(listener: () => void): void;
  readonly closed: boolean;
  /** REQ_MARKET_DATA_TYPE, 1..4. */
  marketDataType: number;
  nextOrderId: number;
  readonly marketData: Map<number, MarketDataLine>;
  readonly historical: Map<number, HistoricalLine>;
  /** reqRealTimeBars subscriptions. */
  readonly realTimeBars: Map<number, HistoricalLine>;
  /** reqTickByTickData subscriptions. */
  readonly tickByTick: Map<number, HistoricalLine>;
  /** Announces a farm that slept since connect (2119/2104, 2106) before the first data it serves. */
  wakeFarm(kind: 'market' | 'hmds', inst: Instrument): void;
  log(line: string): void;
}

export interface SimContext {
  readonly market: Market;
  readonly clock: SimClock;
  /** Real time: what the gateway measures and schedules (the process clock unless a test injects one). */
  readonly scheduler: SimScheduler;
  readonly limits: ResolvedLimits;
  readonly pacing: HistoricalPacing;
  readonly account: string;
  /** The newest protocol version offered to clients (an older gateway can be simulated). */
  readonly serverVersion: number;
  /** Real ms between ticks of one line; 0 = as fast as the socket drains. */
  readonly tickIntervalMs: number;
  /** Streaming lines open across every client (the account's lines). */
  marketDataLineCount(): number;
  /** False while a fault holds data back (IB link lost, farm broken). */
  dataFlowing(): boolean;
  /** True while a fault makes IB refuse live bar updates: a keepUpToDate request gets 10182 and no bars. */
  liveUpdatesRefused(): boolean;
  /** True for a streaming line a fault leaves silent (accepted, never answered: no data, no error); uses one. */
  takeSilentLine(): boolean;
}

export type Handler = (link: ClientLink, reader: FieldReader, ctx: SimContext) => void;
