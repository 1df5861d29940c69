/**
 * The TWS API gateway simulator: a TCP server that speaks the real wire
 * protocol (server version 193) over a seeded market, with IB's limits and
 * faults on demand. @stoqey/ib, ib_insync, the Java/Go clients... connect to
 * it as to IB Gateway.
 */
import * as net from 'node:net';
import { encodeFrame } from './codec';
import { SimClock } from './clock';
import type { SimContext } from './context';
import { SimFaults, type FaultTarget } from './faults';
import { exposedWarning, isLoopbackAddress, resolveGuards, type GuardOptions, type ResolvedGuards } from './guards';
import { HistoricalPacing, resolveLimits, type LimitOptions } from './limits';
import { createMarket, createUniverse } from './market';
import type { Market } from './market/types';
import { realScheduler, type SimScheduler, type TimerHandle } from './scheduler';
import { Session, type SessionHost } from './session';
import { MIN_SERVER_VERSION, SERVER_VERSION } from './messages';

/** The managed account a simulated gateway names unless told another. */
export const SIMULATED_ACCOUNT = 'DUSIM0001';
export interface SimOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Market seed; default 42. The same seed gives the same ticks and bars. */
  seed?: number;
  clock?: { start?: number; speed?: number };
  /** Real ms between ticks of one market-data line; default 250; 0 = as fast as the socket drains (firehose). */
  tickIntervalMs?: number;
  limits?: LimitOptions;
  /** Connection cap, handshake time limit and frame cap before START_API (see guards.ts). */
  guards?: GuardOptions;
  /**
   * Managed account; default "DUSIM0001": a paper account's prefix (DU), and
   * SIM, which no IB account has, so a client can tell it is simulated.
   */
  account?: string;
  /** One line per request and event. */
  log?: (line: string) => void;
  /**
   * The newest protocol version to offer (157..193, default 193): simulates an
   * older gateway; clients get min(their newest, this).
   */
  serverVersion?: number;
  /**
   * Real time as the gateway measures and schedules it (message rate, pacing,
   * faults, stream intervals, the market clock); default the process clock. A
   * test passes a fake clock and advances it instead of waiting.
   */
  scheduler?: SimScheduler;
  /** Adds synthetic listings SIM001..SIMnnn to the universe (load tests, benchmarks); default 0. */
  syntheticStocks?: number;
  /** Numbers the futures months from another base (default 0): see UniverseOptions.futuresConIdShift. */
  futuresConIdShift?: number;
}

export class SimServer {
  readonly faults: SimFaults;
  private readonly server: net.Server;
  private readonly sessions = new Set<Session>();
  private readonly byClientId = new Map<number, Session>();
  private readonly received = new Map<number, number>();
  private readonly ctx: SimContext;
  private readonly guards: ResolvedGuards;
  private readonly logLine: (line: string) => void;
  private addr: { host: string; port: number } | undefined;
  private listening = false;
  private stopped = false;
  private refuseTimer: TimerHandle | undefined;
  private held = { link: false, farm: false };
  private liveRefused = false;
  private silentLines = 0;
  private stalledNow = false;
  private delayMs = 0;

  constructor(private readonly options: SimOptions = {}) {
    this.logLine = options.log ?? (() => undefined);
    this.guards = resolveGuards(options.guards);
    const scheduler = options.scheduler ?? realScheduler;
    const clock = new SimClock(options.clock, () => scheduler.now());
    const limits = resolveLimits(options.limits);
    const market: Market = createMarket({
      seed: options.seed ?? 42,
      universe: createUniverse({ now: clock.now(), syntheticStocks: options.syntheticStocks, futuresConIdShift: options.futuresConIdShift }),
    });
    this.ctx = {
      market,
      clock,
      scheduler,
      limits,
      pacing: new HistoricalPacing(limits.historicalPacing),
      account: options.account ?? SIMULATED_ACCOUNT,
      serverVersion: checkServerVersion(options.serverVersion),
      tickIntervalMs: Math.max(0, options.tickIntervalMs ?? 250),
      marketDataLineCount: () => {
        let n = 0;
        for (const s of this.sessions) n += s.marketData.size;
        return n;
      },
      dataFlowing: () => !this.held.link && !this.held.farm && !this.stalledNow,
      liveUpdatesRefused: () => this.liveRefused,
      takeSilentLine: () => this.silentLines > 0 && this.silentLines-- > 0,
    };
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (e: Error) => this.logLine(`server error: ${e.message}`));
    this.faults = new SimFaults(this.faultTarget(), scheduler);
  }

  /** The market the gateway serves (its universe lists every instrument). */
  get market(): Market {
    return this.ctx.market;
  }

  /** Real time as the gateway sees it (the injected scheduler, or the process clock). */
  get scheduler(): SimScheduler {
    return this.ctx.scheduler;
  }

  get clock(): SimClock {
    return this.ctx.clock;
  }

  get address(): { host: string; port: number } | undefined {
    return this.addr;
  }

  async start(): Promise<{ host: string; port: number }> {
    if (this.addr) return this.addr;
    const host = this.options.host ?? '127.0.0.1';
    await this.listen(host, this.options.port ?? 0);
    const a = this.server.address() as net.AddressInfo;
    this.addr = { host, port: a.port };
    this.logLine(`listening on ${host}:${a.port} (server version ${this.ctx.serverVersion}, seed ${this.ctx.market.seed})`);
    if (!isLoopbackAddress(host)) {
      // loud: on stderr even when the simulator's log is off
      const warning = exposedWarning(host, a.port);
      this.logLine(`WARNING: ${warning}`);
      process.emitWarning(warning, 'SimulatorExposedWarning');
    }
    return this.addr;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.faults.clear();
    this.ctx.scheduler.clear(this.refuseTimer);
    for (const s of [...this.sessions]) s.close();
    if (this.listening) {
      this.listening = false;
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
  }

  /** Every client message id received, across every session, with its count. */
  receivedMessageIds(): Map<number, number> {
    return new Map(this.received);
  }

  activeMarketData(): Array<{ clientId: number; reqId: number; conId: number }> {
    const out: Array<{ clientId: number; reqId: number; conId: number }> = [];
    for (const s of this.sessions) for (const l of s.marketData.values()) out.push({ clientId: s.clientId, reqId: l.reqId, conId: l.inst.conId });
    return out;
  }

  activeHistorical(): Array<{ clientId: number; reqId: number; conId: number }> {
    const out: Array<{ clientId: number; reqId: number; conId: number }> = [];
    for (const s of this.sessions) for (const l of s.historical.values()) out.push({ clientId: s.clientId, reqId: l.reqId, conId: l.inst.conId });
    return out;
  }

  /** Open real-time bar or tick-by-tick subscriptions, per client. */
  activeLines(kind: 'realTimeBars' | 'tickByTick'): Array<{ clientId: number; reqId: number; conId: number }> {
    const out: Array<{ clientId: number; reqId: number; conId: number }> = [];
    for (const s of this.sessions) for (const l of s[kind].values()) out.push({ clientId: s.clientId, reqId: l.reqId, conId: l.inst.conId });
    return out;
  }

  /** Clients past START_API. */
  clientCount(): number {
    let n = 0;
    for (const s of this.sessions) if (s.ready) n++;
    return n;
  }

  private listen(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => {
        this.server.off('listening', onListening);
        reject(e);
      };
      const onListening = (): void => {
        this.server.off('error', onError);
        this.listening = true;
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen(port, host);
    });
  }

  private accept(socket: net.Socket): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    if (this.sessions.size >= this.guards.maxConnections) {
      this.logLine(`connection from ${socket.remoteAddress ?? '?'} refused: ${this.guards.maxConnections} connections are open already`);
      socket.destroy();
      return;
    }
    const session = new Session(socket, this.sessionHost());
    this.sessions.add(session);
  }

  private sessionHost(): SessionHost {
    return {
      ctx: this.ctx,
      guards: this.guards,
      claimClientId: (session, clientId) => {
        const holder = this.byClientId.get(clientId);
        if (holder && holder !== session && !holder.closed) return false;
        this.byClientId.set(clientId, session);
        return true;
      },
      released: (session) => {
        this.sessions.delete(session);
        if (this.byClientId.get(session.clientId) === session) this.byClientId.delete(session.clientId);
      },
      recordMessage: (msgId) => this.received.set(msgId, (this.received.get(msgId) ?? 0) + 1),
      replyDelayMs: () => this.delayMs,
      stalled: () => this.stalledNow,
      log: (line) => this.logLine(line),
    };
  }

  private faultTarget(): FaultTarget {
    return {
      dropConnections: () => {
        for (const s of [...this.sessions]) s.close();
      },
      refuseFor: (ms) => {
        if (!this.listening || !this.addr) return;
        const { host, port } = this.addr;
        this.listening = false;
        this.server.close();
        this.ctx.scheduler.clear(this.refuseTimer);
        // held open like the listening port it stands in for
        this.refuseTimer = this.ctx.scheduler.setTimeout(
          () => {
            this.refuseTimer = undefined;
            if (this.stopped) return;
            this.listen(host, port).catch((e: Error) => this.logLine(`could not listen again on ${host}:${port}: ${e.message}`));
          },
          ms,
          { keepAlive: true },
        );
      },
      broadcastInfo: (code, message) => {
        for (const s of this.sessions) if (s.ready) s.sendError(-1, code, message);
      },
      dropAllLines: () => {
        for (const s of this.sessions) s.stopLines();
      },
      dropLiveUpdates: (code, message) => {
        for (const s of this.sessions) s.stopLiveUpdates(code, message);
      },
      setSilentLines: (n) => {
        this.silentLines = Math.max(0, n);
      },
      setLiveRefused: (refused) => {
        this.liveRefused = refused;
      },
      setDataHeld: (reason, held) => {
        this.held[reason] = held;
      },
      setStalled: (stalled) => {
        this.stalledNow = stalled;
        if (!stalled) for (const s of this.sessions) s.flushHeld();
      },
      setReplyDelay: (ms) => {
        this.delayMs = Math.max(0, ms);
      },
      sendGarbage: () => {
        // A TICK_PRICE cut short: the client's decoder runs out of fields mid-message.
        const frame = encodeFrame([1, 'garbled']);
        for (const s of this.sessions) if (s.ready) s.sendRaw(frame);
      },
      log: (line) => this.logLine(line),
    };
  }
}

function checkServerVersion(v: number | undefined): number {
  if (v === undefined) return SERVER_VERSION;
  if (!Number.isInteger(v) || v < MIN_SERVER_VERSION || v > SERVER_VERSION) {
    throw new RangeError(`server version ${v}: this simulator speaks ${MIN_SERVER_VERSION}..${SERVER_VERSION}`);
  }
  return v;
}
