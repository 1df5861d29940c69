/**
 * The one connection to IB Gateway/TWS. Its states and transitions are the pure machine in
 * connection/machine.ts; this class is the thin driver that turns calls, settings and what the
 * client reports into events, performs the machine's effects (open and close clients, retry timers,
 * heartbeat) with an injected clock and transport, and publishes the status.
 *
 * Every attempt uses a fresh client (transport/tws-transport.ts), so `api` changes after each reconnect:
 * services take `session.api` again when told to re-send what is live (earlier requests failed with 504).
 */
import { checkPort } from './config';
import { backoffDelay } from './connection-backoff';
import { Emitter } from './connection-events';
import { inferTradingMode } from './connection-mode';
import { Attempt, attemptOptions, CONNECTION_DEFAULTS, type AttemptHooks } from './connection/attempt';
import { formatMs, systemClock, type Clock } from './clock';
import { initialState, phaseOf, transition, type Effect, type MachineEvent, type MachineState, type StateName } from './connection/machine';
import { EndOfTurn } from './connection/end-of-turn';
import { FarmCalm } from './connection/farm-calm';
import { FarmBoard, routeNotice, type NoticeContext } from './connection/notices';
import { buildStatus } from './connection/status';
import { describeIbError, IbError, LOCAL_CODES } from './errors';
import { silentLogger, type Logger } from './log';
import { createTwsClient, type Transport } from './transport/tws-transport';
import type { ReadOnlyWire } from './transport/wire';
import type { ConnectionSettings, ConnectionStatus, Disposable, IbErrorInfo, IbSession, ResendScope } from './types';

/** What can be injected: time, the client factory (the seam to @stoqey/ib), and the backoff's randomness. */
export interface ConnectionDeps {
  clock?: Clock;
  transport?: Transport;
  random?: () => number;
}

interface Waiter {
  resolve(): void;
  reject(e: Error): void;
}

const CANCELLED: IbErrorInfo = describeIbError(LOCAL_CODES.cancelled);

export class ConnectionManager implements IbSession, Disposable {
  private settings: ConnectionSettings;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly transport: Transport;
  private readonly random: () => number;
  private machine: MachineState;
  private current: Attempt | undefined;
  private waiters: Waiter[] = [];
  private readonly queue: Array<{ event: MachineEvent; waiter?: Waiter }> = [];
  private dispatching = false;
  private cancelRetry: (() => void) | undefined;
  private nextAttemptAt: number | undefined;
  private readonly farms = new FarmBoard();
  private ibLink: 'ok' | 'lost' = 'ok';
  private _status: ConnectionStatus;
  /** Status, farm reports and resubscribes that notices ask for, once per turn. */
  private readonly endOfTurn: EndOfTurn;
  /** Statuses published so far. */
  private published = 0;
  private disposed = false;
  /** The resubscribe a farm's return asked for, waiting for the farms to stay calm. */
  private readonly farmCalm: FarmCalm;

  private readonly statusEvents: Emitter<ConnectionStatus>;
  private readonly readyEvents: Emitter<void>;
  private readonly resubscribeEvents: Emitter<{ reason: string; scope: ResendScope }>;
  private readonly errorEvents: Emitter<IbErrorInfo>;
  private readonly noticeContext: NoticeContext;

  constructor(settings: ConnectionSettings, logger: Logger = silentLogger, deps: ConnectionDeps = {}) {
    this.settings = { ...settings };
    this.logger = logger;
    this.clock = deps.clock ?? systemClock;
    this.transport = deps.transport ?? createTwsClient;
    this.random = deps.random ?? Math.random;
    this.machine = initialState(settings);
    this.statusEvents = new Emitter('onStatus', logger);
    this.readyEvents = new Emitter('onReady', logger);
    this.resubscribeEvents = new Emitter('onResubscribe', logger);
    this.errorEvents = new Emitter('onIbError', logger);
    this.endOfTurn = new EndOfTurn({
      publish: () => this.publish(),
      report: (info) => this.errorEvents.fire(info),
      resubscribe: (why, scope) => {
        if (!this.disposed && this.machine.name === 'ready') this.resubscribeEvents.fire({ reason: why, scope });
      },
    });
    this.farmCalm = new FarmCalm(this.clock, this.endOfTurn, () => this.ibLink === 'lost');
    this.noticeContext = {
      settings: () => this.settings,
      farms: this.farms,
      logger,
      setIbLink: (link) => void (this.ibLink = link),
      report: (info) => {
        this.endOfTurn.flushReports();
        this.errorEvents.fire(info);
      },
      factsChanged: () => this.endOfTurn.status(),
      reportFarm: (farm, info) => this.endOfTurn.farmReport(farm, info),
      resubscribeSoon: (reason, afterCalm, scope) => (afterCalm ? this.farmCalm.ask(reason, scope) : this.endOfTurn.resubscribe(reason, scope)),
    };
    this._status = this.build();
  }

  // ------------------------------------------------------------ public surface

  /** The read-only requests of the live connection while ready; a new instance after every reconnect. */
  get api(): ReadOnlyWire | undefined {
    return this.current?.ready ? this.current.client?.wire : undefined;
  }

  get status(): ConnectionStatus {
    if (this.endOfTurn.statusPending) this._status = this.build();
    return this._status;
  }

  /** The machine's state (finer than status.phase: waiting-to-retry and retrying are both 'reconnecting'). */
  get state(): StateName {
    return this.machine.name;
  }

  /** Disconnected because a person asked: stays so until connect() (nothing should connect on its own). */
  get disconnectedOnRequest(): boolean {
    return this.machine.name === 'idle' && this.machine.held === true;
  }

  onStatus(listener: (s: ConnectionStatus) => void): Disposable {
    return this.statusEvents.on(listener);
  }

  onReady(listener: () => void): Disposable {
    return this.readyEvents.on(() => listener());
  }

  onResubscribe(listener: (reason: string, scope: ResendScope) => void): Disposable {
    return this.resubscribeEvents.on((e) => listener(e.reason, e.scope));
  }

  /** Every error or notice a person may need to see (connection-level and id -1 messages; request errors go to the request). */
  onIbError(listener: (e: IbErrorInfo) => void): Disposable {
    return this.errorEvents.on(listener);
  }

  /** Connects with the configured (or chosen) client id; resolves when ready (after NEXT_VALID_ID), rejects with IbError. */
  connect(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('the connection manager has been disposed'));
    if (!this.settings.enabled) {
      this.publish();
      return Promise.reject(new Error('the IB connection is disabled in the settings (jax.ib.enabled is false)'));
    }
    if (this.machine.name === 'ready') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = { resolve, reject };
      if (this.machine.name === 'connecting') this.waiters.push(waiter);
      else this.dispatch({ type: 'connect' }, waiter);
    });
  }

  /**
   * After a failed connect, keeps trying in the background with the backoff until ready: when the gateway
   * did not answer (502, 9003), or after any failure with anyFailure (the headless bridge). True when it
   * does (or already did: a connect that failed while retrying); false otherwise, for an unusable port or
   * with autoReconnect off. Disconnect, disabling settings or dispose stop it; a connect does not.
   */
  keepTrying(options: { anyFailure?: boolean } = {}): boolean {
    if (this.disposed || checkPort(this.settings.port, 'port').problem) return false;
    const before = this.machine;
    if (before.trying && (before.name === 'waiting-to-retry' || before.name === 'retrying')) return true;
    this.dispatch({ type: 'keep-trying', anyFailure: options.anyFailure });
    if (this.machine === before) return false;
    this.logger.info(`waiting for IB Gateway/TWS at ${this.settings.host}:${this.settings.port}: trying again in the background`);
    return true;
  }

  /** A deliberate disconnect: no reconnect afterwards, until connect(). */
  async disconnect(): Promise<void> {
    this.dispatch({ type: 'disconnect' });
  }

  /**
   * Applies new settings as one event. A change of host, port or client id
   * while connected, connecting, reconnecting or failed makes exactly one new
   * connection (and forgets a client id useNextClientId chose); other changes
   * keep the session as it is. enabled=false disconnects (phase 'disabled');
   * enabling again leaves it 'disconnected' for the caller to connect.
   * Resolves once the new connection is ready or has failed (the outcome is
   * in `status`), never rejects.
   */
  async updateSettings(s: ConnectionSettings): Promise<void> {
    if (this.disposed) return;
    const old = this.settings;
    this.settings = { ...s };
    const endpointChanged = old.host !== s.host || old.port !== s.port || old.clientId !== s.clientId;
    if (endpointChanged && s.enabled && !['idle', 'disabled'].includes(this.machine.name)) {
      this.logger.info(`settings changed: reconnecting to ${s.host}:${s.port} as client ${s.clientId}`);
    }
    const published = this.published;
    const settled = new Promise<void>((resolve) => {
      this.dispatch(
        { type: 'settings', enabled: s.enabled, clientId: s.clientId, autoReconnect: s.autoReconnect !== false, endpointChanged },
        { resolve, reject: () => resolve() },
      );
    });
    // new facts for the status (simulated, host) even when the state stays
    if (this.published === published) this.publish();
    await settled;
  }

  /** After a 326: tries the client id after the one in use, then the next, until one is free; ready with it. */
  useNextClientId(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('the connection manager has been disposed'));
    if (!this.settings.enabled) return Promise.reject(new Error('the IB connection is disabled in the settings (jax.ib.enabled is false)'));
    const base = this.machine.chosenClientId ?? this.settings.clientId;
    return new Promise<void>((resolve, reject) => this.dispatch({ type: 'next-client-id' }, { resolve, reject })).then(() => {
      this.logger.info(`client id ${base} was in use; connected as client id ${this.machine.clientId}`);
    });
  }

  /** A client id useNextClientId found free in an earlier session: used from the next connect on, until the endpoint changes. */
  preferClientId(id: number): void {
    this.dispatch({ type: 'prefer-client-id', clientId: id });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.farmCalm.stop();
    this.dispatch({ type: 'dispose' });
    this._status = this.build();
    this.statusEvents.clear();
    this.readyEvents.clear();
    this.resubscribeEvents.clear();
    this.errorEvents.clear();
  }

  // ------------------------------------------------------------ the driver

  /**
   * Feeds one event to the machine and performs its effects. Events raised while effects run (an attempt
   * failing at once) wait their turn. A call's waiter joins the attempt the event started, else is settled.
   */
  private dispatch(event: MachineEvent, waiter?: Waiter): void {
    this.queue.push({ event, waiter });
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        const opened = this.step(next.event);
        if (next.waiter) this.attach(next.waiter, opened);
      }
    } finally {
      this.dispatching = false;
    }
  }

  private attach(w: Waiter, opened: boolean): void {
    const { name, error } = this.machine;
    if (name === 'connecting' && opened) this.waiters.push(w);
    else if (name === 'failed' && error) w.reject(new IbError(error));
    else w.resolve();
  }

  /** One transition and its effects; true when it opened a new attempt. */
  private step(event: MachineEvent): boolean {
    const before = this.machine;
    const { state, effects } = transition(before, event);
    if (state === before) return false;
    this.machine = state;
    const after: Array<() => void> = [];
    for (const effect of effects) this.perform(effect, after);
    if (phaseOf(state.name) !== phaseOf(before.name) || state.attempt !== before.attempt || state.error !== before.error || state.clientId !== before.clientId)
      this.publish();
    for (const fn of after) fn();
    return effects.some((e) => e.type === 'open');
  }

  private perform(effect: Effect, after: Array<() => void>): void {
    switch (effect.type) {
      case 'open':
        return this.open(effect.clientId);
      case 'close':
        this.current?.close();
        this.current = undefined;
        return;
      case 'schedule-retry':
        return this.scheduleRetry(effect.attempt, effect.step);
      case 'cancel-retry':
        this.cancelRetry?.();
        this.cancelRetry = undefined;
        this.nextAttemptAt = undefined;
        return;
      case 'became-ready':
        return this.becameReady(effect.resubscribe, after);
      case 'settle': {
        const waiters = this.waiters;
        this.waiters = [];
        const error = effect.error;
        after.push(() => waiters.forEach((w) => (error ? w.reject(new IbError(error)) : w.resolve())));
        return;
      }
      case 'cancel-waiters': {
        const waiters = this.waiters;
        this.waiters = [];
        waiters.forEach((w) => w.reject(new IbError(CANCELLED)));
        return;
      }
      case 'report':
        this.logger.warn(
          `${effect.error.code === 326 && this.machine.name === 'waiting-to-retry' ? 'reconnect refused' : 'connection lost'}: ${effect.error.message}${effect.error.raw ? ` (${effect.error.raw})` : ''}`,
        );
        this.errorEvents.fire(effect.error);
        return;
    }
  }

  private open(clientId: number): void {
    const s = this.settings;
    this.farms.clear();
    this.ibLink = 'ok';
    const attempt = new Attempt(attemptOptions(s, clientId), this.hooks, this.clock, this.transport, this.logger);
    this.current = attempt;
    attempt.start();
  }

  /** What an attempt reports, as events; reports from an attempt that is no longer current are dropped. */
  private readonly hooks: AttemptHooks = {
    handshakeDone: (a) => {
      if (a === this.current) this.dispatch({ type: 'handshake-done' });
    },
    failed: (a, error) => {
      if (a !== this.current) return;
      if (this.machine.name === 'retrying') this.logger.info(`reconnect attempt ${this.machine.attempt} failed: ${error.message}`);
      this.dispatch({ type: 'attempt-failed', error });
    },
    lost: (a, error) => {
      const short = a.readyAt !== undefined && this.clock.now() - a.readyAt < CONNECTION_DEFAULTS.stableSessionMs;
      if (a === this.current) this.dispatch({ type: 'lost', error, short });
    },
    notice: (a, code, message, reqId) => {
      if (a === this.current) routeNotice(this.noticeContext, a, code, message, reqId);
    },
    accountsChanged: (a) => {
      if (a === this.current) this.endOfTurn.status();
    },
  };

  private scheduleRetry(attempt: number, step: number): void {
    const delay = backoffDelay(step, {
      initialDelayMs: this.settings.reconnectInitialDelayMs ?? CONNECTION_DEFAULTS.reconnectInitialDelayMs,
      maxDelayMs: this.settings.reconnectMaxDelayMs ?? CONNECTION_DEFAULTS.reconnectMaxDelayMs,
      random: this.random,
    });
    this.nextAttemptAt = this.clock.now() + delay;
    this.logger.info(`reconnect attempt ${attempt} in ${formatMs(delay)}`);
    const handle = this.clock.setTimeout(() => {
      this.cancelRetry = undefined;
      this.dispatch({ type: 'retry-due' });
    }, delay);
    this.cancelRetry = () => this.clock.clearTimeout(handle);
  }

  private becameReady(resubscribe: boolean, after: Array<() => void>): void {
    const a = this.current;
    if (!a) return;
    // a new connection's lines are sent as it becomes ready: a farm's wait of the old one is moot
    this.farmCalm.stop();
    a.markReady(this.clock.now());
    this.nextAttemptAt = undefined;
    const s = this.settings;
    this.logger.info(
      `ready: ${s.host}:${s.port} client ${a.clientId}, server version ${a.serverVersion ?? '?'}, accounts ${(a.accounts ?? []).join(',') || 'none'} (${inferTradingMode(a.accounts, s.port)})`,
    );
    after.push(() => {
      this.readyEvents.fire();
      if (resubscribe && this.current === a) this.resubscribeEvents.fire({ reason: 'reconnected', scope: 'all' });
    });
  }

  // ------------------------------------------------------------ status

  /** Publishes the current facts as a new status object. */
  private publish(): void {
    this.endOfTurn.published();
    if (this.disposed) return;
    this.published++;
    this._status = this.build();
    this.statusEvents.fire(this._status);
  }

  private build(): ConnectionStatus {
    return buildStatus(this.settings, this.machine, this.current?.ready ? this.current : undefined, {
      farms: this.farms.snapshot(),
      quoteFarms: this.farms.quoteFarms(),
      ibLink: this.ibLink,
      nextAttemptAt: this.nextAttemptAt,
    });
  }
}
