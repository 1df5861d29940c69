/**
 * One client connection: the "API\0" handshake, START_API with its client id,
 * the welcome messages, then framed requests dispatched to their handlers.
 * A malformed frame closes this session only.
 */
import type { Socket } from 'node:net';
import { FieldReader, FieldUnderrun, FrameDecoder, FrameError, MAX_FRAME_LENGTH, encodeFrame, readHandshake, splitFields, type Field } from './codec';
import type { ClientLink, Handler, HistoricalLine, MarketDataLine, SimContext } from './context';
import { MessageRate } from './limits';
import type { ResolvedGuards } from './guards';
import type { TimerHandle } from './scheduler';
import { IN, MIN_SERVER_VERSION, ORDER_MESSAGES, OUT, V, negotiateVersion, outName } from './messages';
import { connectionTime } from './time-format';
import { handleCancelMktData, handleReqMarketDataType, handleReqMktData } from './handlers/market-data';
import { handleCancelHistoricalData, handleReqHistoricalData } from './handlers/historical';
import { handleCancelHeadTimestamp, handleReqContractData, handleReqHeadTimestamp, handleReqMatchingSymbols } from './handlers/contracts';
import {
  handleCancelMulti,
  handleReqAccountUpdatesMulti,
  handleReqPositionsMulti,
  handleCancelPositions,
  handleReqAccountData,
  handleReqAccountSummary,
  handleReqAutoOpenOrders,
  handleReqCompletedOrders,
  handleReqExecutions,
  handleReqOpenOrders,
  handleReqPositions,
} from './handlers/account';
import { handleReqCurrentTime, handleReqIds, handleReqManagedAccts, handleSetServerLogLevel, refuseOrder } from './handlers/misc';
import { refuseUnsupported } from './handlers/unsupported';
import { handleCancelRealTimeBars, handleReqRealTimeBars } from './handlers/real-time-bars';
import { handleCancelTickByTick, handleReqTickByTick } from './handlers/tick-by-tick';
import { FARM, MSG_CLIENT_ID_IN_USE } from './facts/tws-errors';
import type { Instrument } from './market/types';

export const HANDLERS: ReadonlyMap<number, Handler> = new Map<number, Handler>([
  [OUT.REQ_MKT_DATA, handleReqMktData],
  [OUT.CANCEL_MKT_DATA, handleCancelMktData],
  [OUT.REQ_MARKET_DATA_TYPE, handleReqMarketDataType],
  [OUT.REQ_HISTORICAL_DATA, handleReqHistoricalData],
  [OUT.CANCEL_HISTORICAL_DATA, handleCancelHistoricalData],
  [OUT.REQ_CONTRACT_DATA, handleReqContractData],
  [OUT.REQ_MATCHING_SYMBOLS, handleReqMatchingSymbols],
  [OUT.REQ_HEAD_TIMESTAMP, handleReqHeadTimestamp],
  [OUT.CANCEL_HEAD_TIMESTAMP, handleCancelHeadTimestamp],
  [OUT.REQ_CURRENT_TIME, handleReqCurrentTime],
  [OUT.REQ_IDS, handleReqIds],
  [OUT.REQ_MANAGED_ACCTS, handleReqManagedAccts],
  [OUT.SET_SERVER_LOGLEVEL, handleSetServerLogLevel],
  [OUT.REQ_POSITIONS, handleReqPositions],
  [OUT.CANCEL_POSITIONS, handleCancelPositions],
  [OUT.REQ_OPEN_ORDERS, handleReqOpenOrders],
  [OUT.REQ_ALL_OPEN_ORDERS, handleReqOpenOrders],
  [OUT.REQ_AUTO_OPEN_ORDERS, handleReqAutoOpenOrders],
  [OUT.REQ_COMPLETED_ORDERS, handleReqCompletedOrders],
  [OUT.REQ_EXECUTIONS, handleReqExecutions],
  [OUT.REQ_ACCOUNT_DATA, handleReqAccountData],
  [OUT.REQ_ACCOUNT_SUMMARY, handleReqAccountSummary],
  [OUT.CANCEL_ACCOUNT_SUMMARY, handleCancelMulti],
  [OUT.REQ_ACCOUNT_UPDATES_MULTI, handleReqAccountUpdatesMulti],
  [OUT.CANCEL_ACCOUNT_UPDATES_MULTI, handleCancelMulti],
  [OUT.REQ_POSITIONS_MULTI, handleReqPositionsMulti],
  [OUT.CANCEL_POSITIONS_MULTI, handleCancelMulti],
  [OUT.REQ_REAL_TIME_BARS, handleReqRealTimeBars],
  [OUT.CANCEL_REAL_TIME_BARS, handleCancelRealTimeBars],
  [OUT.REQ_TICK_BY_TICK_DATA, handleReqTickByTick],
  [OUT.CANCEL_TICK_BY_TICK_DATA, handleCancelTickByTick],
]);

export { MSG_CLIENT_ID_IN_USE };

/**
 * The farms a session hears about at connect, as TWS reports them (order as
 * in a recorded connect burst): US stocks, futures and their history are up
 * (2104/2106); the forex farms sleep until a forex request wakes them
 * (2108/2107), then 2119 "connecting" and 2104 "OK" (2106 for history).
 */
const CONNECT_NOTICES: ReadonlyArray<readonly [number, string]> = [
  FARM.marketOk('usfarm.nj'),
  FARM.marketOk('usfuture'),
  FARM.marketInactive('cashfarm'),
  FARM.marketOk('usfarm'),
  FARM.hmdsInactive('cashhmds'),
  FARM.hmdsOk('ushmds'),
  FARM.secDefOk('secdefil'),
];

/** The farm that serves an instrument's quotes and its history. */
export function farmsOf(inst: Instrument): { market: string; hmds: string } {
  if (inst.secType === 'CASH') return { market: 'cashfarm', hmds: 'cashhmds' };
  if (inst.secType === 'FUT') return { market: 'usfuture', hmds: 'ushmds' };
  return { market: 'usfarm', hmds: 'ushmds' };
}

/** What a session needs from the server that owns it. */
export interface SessionHost {
  readonly ctx: SimContext;
  /** Handshake time limit and frame cap before START_API. */
  readonly guards?: ResolvedGuards;
  /** Claims a client id; false when another session holds it. */
  claimClientId(session: Session, clientId: number): boolean;
  released(session: Session): void;
  /** Counts a received client message id (the read-only proof). */
  recordMessage(msgId: number): void;
  /** Extra delay before a request is handled (delayReplies fault), ms. */
  replyDelayMs(): number;
  /** True while the stall fault holds every outgoing byte back. */
  stalled(): boolean;
  log(line: string): void;
}

type Phase = 'handshake' | 'await-start' | 'ready' | 'closed';

/** Outgoing bytes held back during a stall, at most this many. */
const MAX_HELD_BYTES = 8 * 1024 * 1024;

export class Session implements ClientLink {
  private phase: Phase = 'handshake';
  private handshakeBuffer: Buffer = Buffer.alloc(0);
  private readonly frames = new FrameDecoder();
  private handshakeTimer: TimerHandle | undefined;
  private readonly rate: MessageRate;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private drainListeners: Array<() => void> = [];
  private pendingDelayed = 0;
  clientId = -1;
  serverVersion = 0;
  marketDataType = 1;
  nextOrderId = 1;
  readonly marketData = new Map<number, MarketDataLine>();
  readonly historical = new Map<number, HistoricalLine>();
  readonly realTimeBars = new Map<number, HistoricalLine>();
  readonly tickByTick = new Map<number, HistoricalLine>();
  /** Farms asleep for this session (announced inactive at connect), woken by the first request that needs them. */
  private readonly sleepingFarms = new Set(['cashfarm', 'cashhmds']);

  constructor(
    readonly socket: Socket,
    private readonly host: SessionHost,
  ) {
    this.rate = new MessageRate(host.ctx.limits.messagesPerSecond);
    if (host.guards) {
      // a client that never reaches START_API holds a socket for nothing
      this.frames.maxFrameLength = host.guards.maxFrameBeforeStart;
      const ms = host.guards.handshakeTimeoutMs;
      this.handshakeTimer = host.ctx.scheduler.setTimeout(() => {
        this.host.log(`connection from ${socket.remoteAddress ?? '?'} closed: no START_API within ${ms} ms`);
        this.close();
      }, ms);
    }
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('drain', () => {
      const listeners = this.drainListeners;
      this.drainListeners = [];
      for (const l of listeners) l();
    });
    socket.on('close', () => this.close());
    socket.on('error', () => this.close());
  }

  get closed(): boolean {
    return this.phase === 'closed';
  }

  get ready(): boolean {
    return this.phase === 'ready';
  }

  log(line: string): void {
    this.host.log(`client ${this.clientId} ${line}`);
  }

  send(fields: readonly Field[]): boolean {
    return this.sendRaw(encodeFrame(fields));
  }

  sendRaw(frames: Buffer): boolean {
    if (this.phase === 'closed') return false;
    if (this.host.stalled() || this.held.length) {
      if (this.heldBytes + frames.length <= MAX_HELD_BYTES) {
        this.held.push(frames);
        this.heldBytes += frames.length;
      }
      return !this.host.stalled();
    }
    return this.socket.write(frames);
  }

  /** Sends what a stall held back. */
  flushHeld(): void {
    if (this.phase === 'closed' || !this.held.length) return;
    const all = Buffer.concat(this.held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    this.socket.write(all);
  }

  sendError(id: number, code: number, message: string): void {
    if (this.serverVersion >= V.ADVANCED_ORDER_REJECT) this.send([IN.ERR_MSG, 2, id, code, message, '']);
    else this.send([IN.ERR_MSG, 2, id, code, message]);
  }

  backlog(): number {
    return this.socket.writableLength + this.heldBytes;
  }

  onDrain(listener: () => void): void {
    if (this.phase === 'closed') return;
    this.drainListeners.push(listener);
  }

  /** Ends the session: stops every line, frees the client id, closes the socket. */
  close(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.host.ctx.scheduler.clear(this.handshakeTimer);
    this.stopLines();
    this.drainListeners = [];
    this.held = [];
    this.heldBytes = 0;
    this.host.released(this);
    this.socket.destroy();
  }

  /** Announces a sleeping farm waking up: 2119 then 2104 for market data, 2106 for history. */
  wakeFarm(kind: 'market' | 'hmds', inst: Instrument): void {
    const farm = farmsOf(inst)[kind];
    if (!this.sleepingFarms.delete(farm)) return;
    if (kind === 'market') {
      this.sendError(-1, ...FARM.marketConnecting(farm));
      this.sendError(-1, ...FARM.marketOk(farm));
    } else {
      this.sendError(-1, ...FARM.hmdsOk(farm));
    }
  }

  /** Ends every keepUpToDate subscription with an error for its request id. */
  stopLiveUpdates(code: number, message: string): void {
    for (const [reqId, l] of this.historical) {
      l.stop();
      this.historical.delete(reqId);
      this.sendError(reqId, code, message);
    }
  }

  /** Cancels every market-data line and keepUpToDate subscription (IB lost the data). */
  stopLines(): void {
    for (const lines of [this.marketData, this.historical, this.realTimeBars, this.tickByTick]) {
      for (const l of lines.values()) l.stop();
      lines.clear();
    }
  }

  private onData(data: Buffer): void {
    if (this.phase === 'closed') return;
    if (this.phase === 'handshake') {
      this.handshakeBuffer = Buffer.concat([this.handshakeBuffer, data]);
      const hs = readHandshake(this.handshakeBuffer);
      if (hs.state === 'incomplete') return;
      if (hs.state === 'invalid') {
        this.host.log(`connection refused: ${hs.reason}`);
        this.close();
        return;
      }
      const version = negotiateVersion(hs.range, this.host.ctx.serverVersion);
      if (version === undefined) {
        // TWS closes the connection of a client that cannot speak its version.
        this.host.log(
          `connection refused: client offers v${hs.range.min}..${hs.range.max}, this gateway speaks v${MIN_SERVER_VERSION}..${this.host.ctx.serverVersion}`,
        );
        this.close();
        return;
      }
      this.serverVersion = version;
      this.phase = 'await-start';
      this.handshakeBuffer = Buffer.alloc(0);
      this.socket.write(encodeFrame([version, connectionTime(this.host.ctx.clock.now())]));
      data = hs.rest;
      if (!data.length) return;
    }
    let bodies: Buffer[];
    try {
      bodies = this.frames.push(data);
    } catch (e) {
      this.host.log(`client ${this.clientId} sent a malformed frame (${e instanceof FrameError ? e.message : String(e)}); closing it`);
      this.close();
      return;
    }
    for (const body of bodies) {
      if (this.closed) return;
      this.onFrame(splitFields(body));
    }
  }

  private onFrame(fields: string[]): void {
    const msgId = Number.parseInt(fields[0] ?? '', 10);
    if (!Number.isInteger(msgId)) {
      this.host.log(`client ${this.clientId} sent a frame without a message id; closing it`);
      this.close();
      return;
    }
    this.host.recordMessage(msgId);
    if (this.phase === 'await-start') {
      if (msgId !== OUT.START_API) return; // TWS ignores requests before START_API
      this.start(new FieldReader(fields.slice(1)));
      return;
    }
    const verdict = this.rate.check(this.host.ctx.scheduler.now());
    if (verdict.verdict === 'warn') {
      this.log(`message rate exceeded (${verdict.received}/s), ${outName(msgId)} dropped`);
      this.sendError(-1, 100, `Max rate of messages per second has been exceeded:max=${this.host.ctx.limits.messagesPerSecond} rec=${verdict.received} (1)`);
      return;
    }
    if (verdict.verdict === 'drop') return;
    if (verdict.verdict === 'disconnect') {
      this.log('message rate exceeded for 3 seconds in a row; disconnecting');
      this.close();
      return;
    }
    const delay = this.host.replyDelayMs();
    if (delay > 0 || this.pendingDelayed > 0) {
      // keep the order of requests while a delay is in force
      this.pendingDelayed++;
      this.host.ctx.scheduler.setTimeout(() => {
        this.pendingDelayed--;
        if (!this.closed) this.dispatch(msgId, fields);
      }, delay);
      return;
    }
    this.dispatch(msgId, fields);
  }

  private start(r: FieldReader): void {
    let clientId: number;
    try {
      r.int(); // version
      clientId = r.int();
    } catch {
      this.close();
      return;
    }
    this.clientId = clientId;
    if (!this.host.claimClientId(this, clientId)) {
      this.host.log(`client ${clientId} refused: client id already in use`);
      this.sendError(-1, 326, MSG_CLIENT_ID_IN_USE);
      this.socket.end();
      this.phase = 'closed';
      this.host.released(this);
      this.host.ctx.scheduler.setTimeout(() => this.socket.destroy(), 200);
      return;
    }
    this.phase = 'ready';
    this.host.ctx.scheduler.clear(this.handshakeTimer);
    this.frames.maxFrameLength = MAX_FRAME_LENGTH;
    const ctx = this.host.ctx;
    this.host.log(`client ${clientId} connected`);
    this.send([IN.MANAGED_ACCTS, 1, ctx.account]);
    this.send([IN.NEXT_VALID_ID, 1, this.nextOrderId]);
    for (const [code, text] of CONNECT_NOTICES) this.sendError(-1, code, text);
  }

  private dispatch(msgId: number, fields: string[]): void {
    const args = fields.slice(1);
    try {
      if (msgId === OUT.START_API) return; // already started: TWS ignores a second one
      if (ORDER_MESSAGES.has(msgId)) {
        refuseOrder(this, msgId, args);
        return;
      }
      const handler = HANDLERS.get(msgId);
      if (!handler) {
        refuseUnsupported(this, msgId, args);
        return;
      }
      handler(this, new FieldReader(args), this.host.ctx);
    } catch (e) {
      if (e instanceof FieldUnderrun) {
        this.log(`${outName(msgId)} is malformed (${e.message}); closing the session`);
        this.close();
        return;
      }
      this.log(`${outName(msgId)} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      this.sendError(-1, 321, `Error processing request.-'bN' : cause - ${outName(msgId)} could not be processed`);
    }
  }
}
