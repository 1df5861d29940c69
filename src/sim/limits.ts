/**
 * IB's limits as the gateway enforces them: the client message rate, the
 * market-data lines of the account and historical-data pacing. Each can be
 * changed or switched off through SimOptions.limits.
 */

export interface LimitOptions {
  /** Messages per second a client may send; 0 = off. Default 50. */
  messagesPerSecond?: number;
  /** Simultaneous streaming market-data lines of the account; default 100. */
  maxMarketDataLines?: number;
  /** Historical pacing (identical within 15 s, 6 per contract in 2 s, 60 in 10 min); default true. */
  historicalPacing?: boolean;
  /** At most one current-time request answered a second, the others never (TWS 10.16 on); default true. */
  currentTimeOncePerSecond?: boolean;
}

export interface ResolvedLimits {
  messagesPerSecond: number;
  maxMarketDataLines: number;
  historicalPacing: boolean;
  currentTimeOncePerSecond: boolean;
}

export function resolveLimits(options: LimitOptions | undefined): ResolvedLimits {
  return {
    messagesPerSecond: options?.messagesPerSecond ?? 50,
    maxMarketDataLines: options?.maxMarketDataLines ?? 100,
    historicalPacing: options?.historicalPacing ?? true,
    currentTimeOncePerSecond: options?.currentTimeOncePerSecond ?? true,
  };
}

/**
 * The client message rate over a sliding second. TWS answers an excess
 * message with error 100 and does not act on it; a client that keeps
 * exceeding the rate is disconnected. Here: one 100 per second of excess,
 * the excess messages are dropped, and the third consecutive second with
 * excess closes the connection.
 */
export class MessageRate {
  private readonly times: number[] = [];
  private lastWarnedWindow = -1;
  private excessWindows = 0;
  private lastExcessWindow = -1;

  constructor(private readonly perSecond: number) {}

  /** 'ok' to process, 'drop' (already warned this second), 'warn' (send 100 and drop), 'disconnect'. */
  check(nowMs: number): { verdict: 'ok' | 'drop' | 'warn' | 'disconnect'; received: number } {
    if (this.perSecond <= 0) return { verdict: 'ok', received: 0 };
    while (this.times.length && this.times[0] <= nowMs - 1000) this.times.shift();
    this.times.push(nowMs);
    const received = this.times.length;
    if (received <= this.perSecond) return { verdict: 'ok', received };
    const window = Math.floor(nowMs / 1000);
    if (window !== this.lastExcessWindow) {
      this.excessWindows = window === this.lastExcessWindow + 1 ? this.excessWindows + 1 : 1;
      this.lastExcessWindow = window;
      if (this.excessWindows >= 3) return { verdict: 'disconnect', received };
    }
    if (this.lastWarnedWindow !== window) {
      this.lastWarnedWindow = window;
      return { verdict: 'warn', received };
    }
    return { verdict: 'drop', received };
  }
}

export interface PacingRequest {
  /** The bar size in seconds: IB's pacing rules are for bars of 30 secs or less. */
  barSeconds: number;
  conId: number;
  /** Everything that makes two requests identical. */
  key: string;
  whatToShow: string;
}

/** IB's "small bars": the pacing rules apply to requests for bars of this size or less (lifted for 1 min and more). */
export const SMALL_BAR_SECONDS = 30;

/** Historical pacing of the account (all clients together), as IB documents it: for small bars only. */
export class HistoricalPacing {
  private readonly log: Array<{ time: number; conId: number; key: string; whatToShow: string }> = [];

  constructor(private readonly enabled: boolean) {}

  /** Why the request breaks pacing, or undefined; an accepted request is recorded. */
  admit(req: PacingRequest, nowMs: number): string | undefined {
    if (!this.enabled || req.barSeconds > SMALL_BAR_SECONDS) return undefined;
    while (this.log.length && this.log[0].time <= nowMs - 600_000) this.log.shift();
    if (this.log.some((r) => r.key === req.key && r.time > nowMs - 15_000)) {
      return 'identical request within 15 seconds';
    }
    // BID_ASK requests count twice, as IB counts them
    const weight = (r: { whatToShow: string }): number => (r.whatToShow === 'BID_ASK' ? 2 : 1);
    const sameContract = this.log.filter((r) => r.conId === req.conId && r.whatToShow === req.whatToShow && r.time > nowMs - 2_000);
    // IB: "six or more historical data requests for the same Contract, Exchange and Tick Type within two seconds"
    if (sameContract.reduce((n, r) => n + weight(r), 0) + weight(req) >= 6) return 'six or more requests for one contract within 2 seconds';
    if (this.log.reduce((n, r) => n + weight(r), 0) + weight(req) > 60) return 'more than 60 requests within 10 minutes';
    this.log.push({ time: nowMs, conId: req.conId, key: req.key, whatToShow: req.whatToShow });
    return undefined;
  }
}
