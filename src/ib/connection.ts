/**
 * The one connection to IB Gateway/TWS: a state machine a person can read
 * (disabled, disconnected, connecting, ready, reconnecting, failed), its own
 * reconnection with capped exponential backoff, a heartbeat that notices a
 * silent gateway, data-farm and IB-link health, and the moments when data
 * services must re-send their live subscriptions.
 *
 * Every attempt uses a fresh IBApiNext (see connection-client.ts), so `api`
 * changes after each reconnect: services take `session.api` again in their
 * onResubscribe handler and re-send what is live there. Subscriptions made on
 * an earlier client are dead and only need unsubscribing locally.
 */
import type { IBApiNext } from '@stoqey/ib';
import { backoffDelay } from './connection-backoff';
import { createTwsClient, type TwsClient } from './connection-client';
import { Emitter } from './connection-events';
import { readFarmNotice, readIbLinkNotice } from './connection-farms';
import { inferTradingMode } from './connection-mode';
import { describeIbError, IbError } from './errors';
import { checkPort } from './config';
import { silentLogger, type Logger } from './log';
import type { ConnectionPhase, ConnectionSettings, ConnectionStatus, Disposable, FarmHealth, IbErrorInfo, IbSession } from './types';

const DEFAULTS = {
  reconnectInitialDelayMs: 1000,
  reconnectMaxDelayMs: 30000,
  heartbeatIntervalMs: 10000,
  heartbeatTimeoutMs: 5000,
  connectTimeoutMs: 10000,
};

/** How long to wait after NEXT_VALID_ID for the account list before calling it ready anyway. */
const ACCOUNTS_GRACE_MS = 1000;
/** How many client ids useNextClientId tries. */
const NEXT_CLIENT_ID_TRIES = 32;
/** Codes that mean the incoming stream can no longer be trusted: reset the connection. */
const CORRUPT_STREAM_CODES = new Set([505, 507, 509]);
/** Notices that only confirm a healthy state; shown to a person only when they end a problem. */
const QUIET_NOTICES = new Set([2104, 2106, 2107, 2108, 2119, 2158]);

interface Attempt {
  readonly clientId: number;
  client?: TwsClient;
  ready: boolean;
  settled: boolean;
  gotNextValidId: boolean;
  serverVersion?: number;
  /** The handshake's connection time, "yyyyMMdd HH:mm:ss <login zone>". */
  serverTime?: string;
  accounts?: string[];
  readyAt?: number;
  /** The last connection-level error seen (e.g. 502 from the socket), used when the attempt ends. */
  lastError?: IbErrorInfo;
  timers: Set<NodeJS.Timeout>;
  fail(info: IbErrorInfo): void;
  succeed(): void;
}

type PhaseExtras = Pick<ConnectionStatus, 'attempt' | 'nextAttemptAt' | 'error'>;

export class ConnectionManager implements IbSession, Disposable {
  private settings: ConnectionSettings;
  private readonly logger: Logger;
  private current: Attempt | undefined;
  private inflight: Promise<void> | undefined;
  private phase: ConnectionPhase;
  private extras: PhaseExtras = {};
  private farms: Record<string, FarmHealth> = {};
  private ibLink: 'ok' | 'lost' = 'ok';
  private _status: ConnectionStatus;
  /** Bumped by every deliberate change (connect, disconnect, settings, dispose): stale callbacks check it. */
  private generation = 0;
  private reconnectAttempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatDeadline: NodeJS.Timeout | undefined;
  private everReady = false;
  private disposed = false;
  /** A free client id useNextClientId found; used until the configured host, port or client id change. */
  private chosenClientId: number | undefined;

  private readonly statusEvents: Emitter<ConnectionStatus>;
  private readonly readyEvents: Emitter<void>;
  private readonly resubscribeEvents: Emitter<string>;
  private readonly errorEvents: Emitter<IbErrorInfo>;

  constructor(settings: ConnectionSettings, logger: Logger = silentLogger) {
    this.settings = { ...settings };
    this.logger = logger;
    this.statusEvents = new Emitter('onStatus', logger);
    this.readyEvents = new Emitter('onReady', logger);
    this.resubscribeEvents = new Emitter('onResubscribe', logger);
    this.errorEvents = new Emitter('onIbError', logger);
    this.phase = settings.enabled ? 'disconnected' : 'disabled';
    this._status = this.build();
  }

  // ------------------------------------------------------------ public surface

  /** The live client while ready; a new instance after every reconnect. */
  get api(): IBApiNext | undefined {
    return this.current?.ready ? this.current.client?.api : undefined;
  }

  get status(): ConnectionStatus {
    return this._status;
  }

  onStatus(listener: (s: ConnectionStatus) => void): Disposable {
    return this.statusEvents.on(listener);
  }

  onReady(listener: () => void): Disposable {
    return this.readyEvents.on(() => listener());
  }

  onResubscribe(listener: (reason: string) => void): Disposable {
    return this.resubscribeEvents.on(listener);
  }

  /** Every error or notice a person may need to see (connection-level and id -1 messages; request errors go to the request). */
  onIbError(listener: (e: IbErrorInfo) => void): Disposable {
    return this.errorEvents.on(listener);
  }

  /** Connects with the configured client id; resolves when ready (after NEXT_VALID_ID), rejects with IbError. */
  connect(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('the connection manager has been disposed'));
    if (!this.settings.enabled) {
      this.setPhase('disabled');
      return Promise.reject(new Error('the IB connection is disabled in the settings (jax.ib.enabled is false)'));
    }
    if (this.phase === 'ready') return Promise.resolve();
    if (this.phase === 'connecting' && this.inflight) return this.inflight;
    this.stopAll();
    const gen = ++this.generation;
    this.setPhase('connecting');
    const run = this.runAttempt(this.clientId).then(
      () => {
        if (this.inflight === run) this.inflight = undefined;
      },
      (e: unknown) => {
        if (this.inflight === run) this.inflight = undefined;
        if (gen === this.generation) this.failWith(toInfo(e));
        throw e;
      },
    );
    this.inflight = run;
    return run;
  }

  /**
   * After a first connect that failed because the gateway did not answer (502:
   * not running yet, or still logging in), keeps trying in the background with
   * the reconnect backoff until it does: phase 'reconnecting' with the attempt
   * and the next try, then 'ready'. Returns false (and does nothing) for any
   * other state or failure, or when automatic reconnection is off. A
   * disconnect, new settings or dispose stops it.
   */
  keepTrying(): boolean {
    if (this.disposed || this.phase !== 'failed' || this.settings.autoReconnect === false) return false;
    const reason = this.extras.error;
    if (reason?.code !== 502 || checkPort(this.settings.port, 'port').problem) return false;
    this.logger.info(`waiting for IB Gateway/TWS at ${this.settings.host}:${this.settings.port}: trying again in the background`);
    this.reconnectAttempt = 0;
    this.scheduleReconnect(reason);
    return true;
  }

  /** A deliberate disconnect: no reconnect afterwards. */
  async disconnect(): Promise<void> {
    this.generation++;
    this.stopAll();
    this.setPhase(this.settings.enabled ? 'disconnected' : 'disabled');
  }

  /**
   * Applies new settings. A change of host, port or client id while connected,
   * connecting, reconnecting or failed makes exactly one new connection;
   * enabled=false disconnects (phase 'disabled'); enabling again leaves it
   * 'disconnected' for the caller to connect. Resolves once the new connection
   * is ready or has failed (the outcome is in `status`), never rejects.
   */
  async updateSettings(s: ConnectionSettings): Promise<void> {
    if (this.disposed) return;
    const old = this.settings;
    this.settings = { ...s };
    if (!s.enabled) {
      await this.disconnect();
      return;
    }
    if (this.phase === 'disabled') {
      this.setPhase('disconnected');
      return;
    }
    const endpointChanged = old.host !== s.host || old.port !== s.port || old.clientId !== s.clientId;
    if (endpointChanged) this.chosenClientId = undefined;
    if (endpointChanged && this.phase !== 'disconnected') {
      this.logger.info(`settings changed: reconnecting to ${s.host}:${s.port} as client ${s.clientId}`);
      this.generation++;
      this.stopAll();
      this.phase = 'disconnected';
      await this.connect().catch(() => undefined);
      return;
    }
    this.refresh();
  }

  /** After a 326: tries clientId+1, +2, ... until one is free, then ready with it. */
  async useNextClientId(): Promise<void> {
    if (this.disposed) throw new Error('the connection manager has been disposed');
    if (!this.settings.enabled) throw new Error('the IB connection is disabled in the settings (jax.ib.enabled is false)');
    this.stopAll();
    const gen = ++this.generation;
    const base = this.clientId;
    const before = this.chosenClientId;
    let last: IbErrorInfo | undefined;
    for (let i = 1; i <= NEXT_CLIENT_ID_TRIES; i++) {
      const id = base + i;
      if (id > 2 ** 31 - 1) break;
      this.chosenClientId = id;
      this.setPhase('connecting');
      try {
        await this.runAttempt(id);
        this.logger.info(`client id ${base} was in use; connected as client id ${id}`);
        return;
      } catch (e) {
        if (gen !== this.generation) throw e;
        last = toInfo(e);
        if (last.code !== 326) {
          this.chosenClientId = before;
          this.failWith(last);
          throw e;
        }
      }
    }
    this.chosenClientId = before;
    const info: IbErrorInfo = {
      ...describeIbError(326, last?.raw),
      message: `Client ids ${base + 1} to ${base + NEXT_CLIENT_ID_TRIES} are all in use.`,
      action: 'Close other API clients of IB Gateway/TWS, or choose a client id in the settings.',
    };
    this.failWith(info);
    throw new IbError(info);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.generation++;
    this.stopAll();
    this.phase = this.settings.enabled ? 'disconnected' : 'disabled';
    this.extras = {};
    this._status = this.build();
    this.statusEvents.clear();
    this.readyEvents.clear();
    this.resubscribeEvents.clear();
    this.errorEvents.clear();
  }

  /** The client id the next attempt uses: the one useNextClientId chose, else the configured one. */
  private get clientId(): number {
    return this.chosenClientId ?? this.settings.clientId;
  }

  // ------------------------------------------------------------ attempts

  /** One connection attempt with a fresh client; resolves when ready, rejects with IbError. */
  private runAttempt(clientId: number): Promise<void> {
    const { host, port } = this.settings;
    const connectTimeoutMs = this.settings.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs;
    this.farms = {};
    this.ibLink = 'ok';
    return new Promise<void>((resolve, reject) => {
      const a: Attempt = {
        clientId,
        ready: false,
        settled: false,
        gotNextValidId: false,
        timers: new Set(),
        fail: (info) => {
          if (a.settled) return;
          a.settled = true;
          this.closeAttempt(a);
          reject(new IbError(info));
        },
        succeed: () => {
          if (a.settled) return;
          a.settled = true;
          clearAttemptTimers(a);
          this.markReady(a);
          resolve();
        },
      };
      this.current = a;
      const timer = (ms: number, fn: () => void): void => {
        const t = setTimeout(() => {
          a.timers.delete(t);
          fn();
        }, ms);
        a.timers.add(t);
      };
      try {
        a.client = createTwsClient(host, port, {
          server: (version, time) => {
            a.serverVersion = version;
            a.serverTime = time;
          },
          managedAccounts: (accounts) => {
            a.accounts = accounts;
            if (a.ready) this.refresh();
            else if (a.gotNextValidId) a.succeed();
          },
          nextValidId: () => {
            if (a.gotNextValidId) return;
            a.gotNextValidId = true;
            if (a.accounts) {
              a.succeed();
              return;
            }
            timer(Math.min(ACCOUNTS_GRACE_MS, connectTimeoutMs), () => a.succeed());
            a.client?.api
              .getManagedAccounts()
              .then((accounts) => {
                if (!a.settled) a.accounts = accounts.map((x) => x.trim()).filter((x) => x !== '');
                a.succeed();
              })
              .catch(() => undefined);
          },
          info: (message, code) => this.onNotice(a, code, message, -1),
          error: (message, code, reqId) => this.onNotice(a, code, message, reqId),
          disconnected: () => this.onDisconnected(a),
        }, this.logger, clientId);
      } catch (e) {
        a.fail({ ...describeIbError(502, e instanceof Error ? e.message : String(e)) });
        return;
      }
      timer(connectTimeoutMs, () =>
        a.fail(
          a.lastError ?? {
            ...describeIbError(502, 'handshake timed out'),
            message: `IB Gateway/TWS at ${host}:${port} did not complete the API handshake within ${formatMs(connectTimeoutMs)}.`,
            action: 'Check that IB Gateway/TWS is logged in and not showing a dialog, then connect again.',
          },
        ),
      );
      this.logger.info(`connecting to ${host}:${port} as client ${clientId}`);
      const badPort = checkPort(port, 'port').problem;
      if (badPort) {
        a.fail({ ...describeIbError(502, badPort), message: `Cannot connect: the ${badPort}.`, action: 'Set jax.ib.port to the API port of IB Gateway/TWS (7497/7496 TWS, 4002/4001 IB Gateway).' });
        return;
      }
      try {
        a.client.connect(clientId);
      } catch (e) {
        a.fail({ ...describeIbError(502, e instanceof Error ? e.message : String(e)) });
      }
    });
  }

  private markReady(a: Attempt): void {
    a.ready = true;
    a.readyAt = Date.now();
    this.reconnectAttempt = 0;
    const wasReadyBefore = this.everReady;
    this.everReady = true;
    this.setPhase('ready');
    this.logger.info(
      `ready: ${this.settings.host}:${this.settings.port} client ${a.clientId}, server version ${a.serverVersion ?? '?'}, accounts ${(a.accounts ?? []).join(',') || 'none'} (${this._status.mode})`,
    );
    this.startHeartbeat(a);
    this.readyEvents.fire();
    if (wasReadyBefore && this.current === a) this.resubscribeEvents.fire('reconnected');
  }

  /** Every error/info the client reports, before and after ready. */
  private onNotice(a: Attempt, code: number, message: string, reqId: number): void {
    if (a !== this.current) return; // echoes from a client that was already closed
    const { host, port } = this.settings;
    if (reqId >= 0 && !CORRUPT_STREAM_CODES.has(code)) {
      this.logger.debug(`IB ${code} for request ${reqId}: ${message}`);
      return;
    }
    if (code === 502) {
      a.lastError = unreachable(host, port, message);
      return; // the socket closes next; onDisconnected decides
    }
    if (code === 326) {
      a.lastError = {
        ...describeIbError(326, message),
        message: `Client id ${a.clientId} is in use by another API client of IB Gateway/TWS.`,
      };
      if (!a.ready) a.fail(a.lastError);
      else this.lose(a, a.lastError);
      return;
    }
    if (CORRUPT_STREAM_CODES.has(code)) {
      const info = { ...describeIbError(code, message), message: `A message from IB Gateway/TWS at ${host}:${port} could not be read; the connection is reset.` };
      this.logger.warn(`corrupt stream (IB ${code}): ${message}`);
      if (!a.ready) a.fail(info);
      else this.lose(a, info);
      return;
    }
    const link = readIbLinkNotice(code);
    if (link) {
      this.ibLink = link.ibLink;
      this.logger.info(`IB ${code}: ${message}`);
      this.errorEvents.fire(describeIbError(code, message));
      this.refresh();
      if (code === 1101 && a.ready) this.resubscribeEvents.fire('IB connectivity restored, data lost (1101)');
      return;
    }
    const farm = readFarmNotice(code, message);
    if (farm) {
      const before = this.farms[farm.farm];
      this.farms = { ...this.farms, [farm.farm]: farm.health };
      this.logger.debug(`farm ${farm.farm}: ${farm.health} (IB ${code})`);
      if (!QUIET_NOTICES.has(code) || before === 'broken') this.errorEvents.fire(describeIbError(code, message));
      this.refresh();
      if (farm.carriesData && farm.health === 'ok' && before === 'broken' && a.ready) {
        this.resubscribeEvents.fire(`data farm ${farm.farm} is back`);
      }
      return;
    }
    if (QUIET_NOTICES.has(code)) {
      this.logger.debug(`IB ${code}: ${message}`);
      return;
    }
    this.logger.info(`IB ${code}: ${message}`);
    this.errorEvents.fire(describeIbError(code, message));
  }

  private onDisconnected(a: Attempt): void {
    if (a !== this.current) return;
    const { host, port } = this.settings;
    if (!a.ready) {
      a.fail(
        a.lastError ?? {
          ...unreachable(host, port, 'connection closed during the handshake'),
          message: `IB Gateway/TWS at ${host}:${port} closed the connection during the API handshake.`,
        },
      );
      return;
    }
    this.lose(a, {
      ...describeIbError(504, a.lastError?.raw ?? 'connection closed'),
      message: `The connection to IB Gateway/TWS at ${host}:${port} was closed.`,
      action: 'It reconnects on its own; check that IB Gateway/TWS is still running if it does not.',
    });
  }

  /** A ready session ended without being asked to: reconnect (or stop, if autoReconnect is off). */
  private lose(a: Attempt, info: IbErrorInfo): void {
    if (a !== this.current || this.disposed) return;
    this.logger.warn(`connection lost: ${info.message}${info.raw ? ` (${info.raw})` : ''}`);
    this.closeAttempt(a);
    this.errorEvents.fire(info);
    if (info.code === 326) {
      this.failWith(info);
      return;
    }
    if (this.settings.autoReconnect === false) {
      this.setPhase('disconnected', { error: info });
      return;
    }
    this.scheduleReconnect(info);
  }

  private scheduleReconnect(reason: IbErrorInfo): void {
    const gen = this.generation;
    this.reconnectAttempt += 1;
    const attempt = this.reconnectAttempt;
    const delay = backoffDelay(attempt, {
      initialDelayMs: this.settings.reconnectInitialDelayMs ?? DEFAULTS.reconnectInitialDelayMs,
      maxDelayMs: this.settings.reconnectMaxDelayMs ?? DEFAULTS.reconnectMaxDelayMs,
    });
    this.setPhase('reconnecting', { attempt, nextAttemptAt: Date.now() + delay, error: reason });
    this.logger.info(`reconnect attempt ${attempt} in ${formatMs(delay)}`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (gen !== this.generation || this.disposed) return;
      this.runAttempt(this.clientId).catch((e: unknown) => {
        if (gen !== this.generation || this.disposed) return;
        const info = toInfo(e);
        this.logger.info(`reconnect attempt ${attempt} failed: ${info.message}`);
        if (info.code === 326) {
          this.errorEvents.fire(info);
          this.failWith(info);
        } else {
          this.scheduleReconnect(info);
        }
      });
    }, delay);
  }

  // ------------------------------------------------------------ heartbeat

  private startHeartbeat(a: Attempt): void {
    this.stopHeartbeat();
    const interval = this.settings.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs;
    this.heartbeatTimer = setTimeout(() => this.beat(a), interval);
  }

  private beat(a: Attempt): void {
    this.heartbeatTimer = undefined;
    const api = a.client?.api;
    if (a !== this.current || !a.ready || !api) return;
    const timeoutMs = this.settings.heartbeatTimeoutMs ?? DEFAULTS.heartbeatTimeoutMs;
    const { host, port } = this.settings;
    let answered = false;
    this.heartbeatDeadline = setTimeout(() => {
      this.heartbeatDeadline = undefined;
      if (answered || a !== this.current) return;
      this.lose(a, {
        ...describeIbError(504, `no reply to a current-time request within ${timeoutMs} ms`),
        message: `IB Gateway/TWS at ${host}:${port} stopped answering (no reply within ${formatMs(timeoutMs)}).`,
        action: 'It reconnects on its own; if this repeats, check that IB Gateway/TWS is not frozen or showing a dialog.',
      });
    }, timeoutMs);
    const done = (): void => {
      answered = true;
      if (a !== this.current) return;
      if (this.heartbeatDeadline) clearTimeout(this.heartbeatDeadline);
      this.heartbeatDeadline = undefined;
      this.startHeartbeat(a);
    };
    api.getCurrentTime().then(done, done);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    if (this.heartbeatDeadline) clearTimeout(this.heartbeatDeadline);
    this.heartbeatTimer = undefined;
    this.heartbeatDeadline = undefined;
  }

  // ------------------------------------------------------------ state

  /** Ends the current attempt or session and every timer; no events about it. */
  private stopAll(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.reconnectAttempt = 0;
    const a = this.current;
    if (a) {
      if (!a.settled) a.fail({ ...describeIbError(504, 'cancelled'), message: 'The connection attempt was cancelled.', action: 'Connect again when needed.' });
      this.closeAttempt(a);
    }
    this.stopHeartbeat();
  }

  private closeAttempt(a: Attempt): void {
    clearAttemptTimers(a);
    a.client?.close();
    if (this.current === a) {
      this.current = undefined;
      this.stopHeartbeat();
    }
  }

  private failWith(info: IbErrorInfo): void {
    this.setPhase('failed', { error: info });
  }

  private setPhase(phase: ConnectionPhase, extras: PhaseExtras = {}): void {
    this.phase = phase;
    this.extras = extras;
    this.refresh();
  }

  /** Publishes the current facts as a new status object. */
  private refresh(): void {
    if (this.disposed) return;
    this._status = this.build();
    this.statusEvents.fire(this._status);
  }

  private build(): ConnectionStatus {
    const s = this.settings;
    const a = this.current?.ready ? this.current : undefined;
    const status: ConnectionStatus = {
      phase: this.phase,
      host: s.host,
      port: s.port,
      clientId: a?.clientId ?? this.clientId,
      simulated: s.simulated ?? false,
      mode: inferTradingMode(a?.accounts, s.port),
      farms: { ...this.farms },
      ibLink: this.ibLink,
      ...this.extras,
    };
    if (a) {
      status.serverVersion = a.serverVersion;
      status.serverTime = a.serverTime;
      status.accounts = [...(a.accounts ?? [])];
      status.connectedSince = a.readyAt;
    }
    return status;
  }
}

function clearAttemptTimers(a: Attempt): void {
  for (const t of a.timers) clearTimeout(t);
  a.timers.clear();
}

function unreachable(host: string, port: number, raw: string): IbErrorInfo {
  return {
    ...describeIbError(502, raw),
    message: `IB Gateway/TWS is not reachable at ${host}:${port}: is it running, and is 'Enable ActiveX and Socket Clients' on?`,
  };
}

function toInfo(e: unknown): IbErrorInfo {
  if (e instanceof IbError) return e.info;
  return { ...describeIbError(-1, e instanceof Error ? e.message : String(e)), category: 'connectivity' };
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
