/**
 * One connection attempt and, once it is ready, its session: a fresh client
 * from the transport, the handshake (server version, NEXT_VALID_ID, the
 * account list with a short grace), its time limit, and the heartbeat that
 * notices a silent gateway. It reports what happens through hooks, once each
 * for failed/lost; it decides nothing about reconnecting (the machine does).
 */
import type { ClientEvents, TwsClient } from '../transport/client';
import type { Transport } from '../transport/tws-transport';
import { describeIbError, IbError, LOCAL_CODES } from '../errors';
import type { Logger } from '../log';
import { checkPort } from '../config';
import type { ConnectionSettings, IbErrorInfo } from '../types';
import { formatMs, TimerSet, type Clock } from '../clock';

/** How long to wait after NEXT_VALID_ID for the account list before calling it ready anyway. */
export const ACCOUNTS_GRACE_MS = 1000;

export interface AttemptOptions {
  host: string;
  port: number;
  clientId: number;
  connectTimeoutMs: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  /** Why the port cannot be used (checked before any socket is opened), if it cannot. */
  portProblem?: string;
}

/** Timings when the settings do not say (ms). */
export const CONNECTION_DEFAULTS = {
  reconnectInitialDelayMs: 1000,
  reconnectMaxDelayMs: 30000,
  heartbeatIntervalMs: 10000,
  heartbeatTimeoutMs: 5000,
  connectTimeoutMs: 10000,
  /** A session lost sooner than this after ready counts as short: it is tried again one backoff step later than the last. */
  stableSessionMs: 60000,
};

export function attemptOptions(s: ConnectionSettings, clientId: number): AttemptOptions {
  return {
    host: s.host,
    port: s.port,
    clientId,
    connectTimeoutMs: s.connectTimeoutMs ?? CONNECTION_DEFAULTS.connectTimeoutMs,
    heartbeatIntervalMs: s.heartbeatIntervalMs ?? CONNECTION_DEFAULTS.heartbeatIntervalMs,
    heartbeatTimeoutMs: s.heartbeatTimeoutMs ?? CONNECTION_DEFAULTS.heartbeatTimeoutMs,
    portProblem: checkPort(s.port, 'port').problem,
  };
}

export interface AttemptHooks {
  /** The handshake is complete (NEXT_VALID_ID, then the accounts or the grace). */
  handshakeDone(a: Attempt): void;
  /** Ended before ready. */
  failed(a: Attempt, info: IbErrorInfo): void;
  /** A ready session ended without being asked to. */
  lost(a: Attempt, info: IbErrorInfo): void;
  /** Every error or notice the client reports. */
  notice(a: Attempt, code: number, message: string, reqId: number): void;
  /** The account list changed after ready. */
  accountsChanged(a: Attempt): void;
}

export class Attempt {
  client: TwsClient | undefined;
  ready = false;
  ended = false;
  serverVersion: number | undefined;
  /** The handshake's connection time, "yyyyMMdd HH:mm:ss <login zone>". */
  serverTime: string | undefined;
  accounts: string[] | undefined;
  readyAt: number | undefined;
  /** The last connection-level error seen (502 from the socket, a clash), used when the attempt ends. */
  lastError: IbErrorInfo | undefined;
  private gotNextValidId = false;
  private handshakeSettled = false;
  private readonly timers: TimerSet;

  constructor(
    readonly options: AttemptOptions,
    private readonly hooks: AttemptHooks,
    private readonly clock: Clock,
    private readonly transport: Transport,
    private readonly logger: Logger,
  ) {
    this.timers = new TimerSet(clock);
  }

  get clientId(): number {
    return this.options.clientId;
  }

  /** Opens the socket; failures arrive through hooks.failed (possibly before this returns). */
  start(): void {
    const { host, port, clientId, connectTimeoutMs, portProblem } = this.options;
    try {
      this.client = this.transport(host, port, this.clientEvents(), this.logger, clientId, this.clock);
    } catch (e) {
      this.fail(describeIbError(502, e instanceof Error ? e.message : String(e)));
      return;
    }
    this.timers.after(connectTimeoutMs, () =>
      this.fail(
        this.lastError ?? {
          ...describeIbError(LOCAL_CODES.handshakeTimeout, 'handshake timed out'),
          message: `IB Gateway/TWS at ${host}:${port} did not complete the API handshake within ${formatMs(connectTimeoutMs)}.`,
        },
      ),
    );
    this.logger.info(`connecting to ${host}:${port} as client ${clientId}`);
    if (portProblem) {
      this.fail({ ...describeIbError(LOCAL_CODES.badPort, portProblem), message: `Cannot connect: the ${portProblem}.` });
      return;
    }
    try {
      this.client.connect(clientId);
    } catch (e) {
      this.fail(describeIbError(502, e instanceof Error ? e.message : String(e)));
    }
  }

  /** Ends an attempt that is not ready yet; reported once. */
  fail(info: IbErrorInfo): void {
    if (this.ended || this.ready) return;
    this.close(info);
    this.hooks.failed(this, info);
  }

  /** Ends a ready session; reported once. */
  lose(info: IbErrorInfo): void {
    if (this.ended || !this.ready) return;
    this.close(info);
    this.hooks.lost(this, info);
  }

  /** Ready from now: the heartbeat starts. */
  markReady(now: number): void {
    this.ready = true;
    this.readyAt = now;
    this.timers.clear();
    this.scheduleBeat();
  }

  /**
   * Closes the socket and every timer; no hooks. Requests still waiting are
   * told why: `cause` is what ended the session (none when the extension
   * closed it on purpose).
   */
  close(cause?: IbErrorInfo): void {
    this.ended = true;
    this.timers.clear();
    this.client?.close(cause);
  }

  private clientEvents(): ClientEvents {
    return {
      server: (version, time) => {
        this.serverVersion = version;
        this.serverTime = time;
      },
      managedAccounts: (accounts) => {
        if (this.ended) return;
        this.accounts = accounts;
        if (this.ready) this.hooks.accountsChanged(this);
        else if (this.gotNextValidId) this.handshakeDone();
      },
      nextValidId: () => this.onNextValidId(),
      info: (message, code) => {
        if (!this.ended) this.hooks.notice(this, code, message, -1);
      },
      error: (message, code, reqId) => {
        if (!this.ended) this.hooks.notice(this, code, message, reqId);
      },
      disconnected: () => this.onDisconnected(),
    };
  }

  private onNextValidId(): void {
    if (this.gotNextValidId || this.ended) return;
    this.gotNextValidId = true;
    if (this.accounts) {
      this.handshakeDone();
      return;
    }
    this.timers.after(Math.min(ACCOUNTS_GRACE_MS, this.options.connectTimeoutMs), () => this.handshakeDone());
    // the list arrives as a managedAccounts event (see clientEvents), which ends the handshake
    this.client?.requestAccounts();
  }

  private handshakeDone(): void {
    if (this.handshakeSettled || this.ended) return;
    this.handshakeSettled = true;
    this.hooks.handshakeDone(this);
  }

  private onDisconnected(): void {
    if (this.ended) return;
    const { host, port } = this.options;
    if (!this.ready) {
      this.fail(
        this.lastError ?? {
          ...unreachable(host, port, 'connection closed during the handshake'),
          message: `IB Gateway/TWS at ${host}:${port} closed the connection during the API handshake.`,
        },
      );
      return;
    }
    this.lose({
      ...describeIbError(504, this.lastError?.raw ?? 'connection closed'),
      message: `The connection to IB Gateway/TWS at ${host}:${port} was closed.`,
      action: 'It reconnects on its own; check that IB Gateway/TWS is still running if it does not.',
    });
  }

  // ------------------------------------------------------------ heartbeat

  private scheduleBeat(): void {
    this.timers.after(this.options.heartbeatIntervalMs, () => this.beat());
  }

  /**
   * A current-time request; no answer within heartbeatTimeoutMs of its leaving
   * the library's send queue (the request's own time limit: a long queue of
   * lines sent again is this client's wait, not a silent gateway) means the
   * gateway has gone silent.
   */
  private beat(): void {
    const wire = this.client?.wire;
    if (this.ended || !wire) return;
    const { host, port, heartbeatTimeoutMs: timeoutMs } = this.options;
    const silent = (): void =>
      this.lose({
        ...describeIbError(LOCAL_CODES.gatewaySilent, `no reply to a current-time request within ${timeoutMs} ms`),
        message: `IB Gateway/TWS at ${host}:${port} stopped answering (no reply within ${formatMs(timeoutMs)}).`,
      });
    const next = (): void => {
      if (!this.ended) this.scheduleBeat();
    };
    wire.currentTime(timeoutMs).then(next, (e: unknown) => {
      if (this.ended) return;
      if (e instanceof IbError && e.info.code === LOCAL_CODES.noAnswer) silent();
      else next();
    });
  }
}

export function unreachable(host: string, port: number, raw: string): IbErrorInfo {
  return {
    ...describeIbError(502, raw),
    message: `IB Gateway/TWS is not reachable at ${host}:${port}: is it running, and is 'Enable ActiveX and Socket Clients' on?`,
  };
}
