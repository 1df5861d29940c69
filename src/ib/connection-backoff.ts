/**
 * Reconnect delays: capped exponential backoff with jitter, so that several
 * clients of one restarted gateway do not all knock at the same moment.
 */

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A random number in [0, 1); Math.random by default. */
  random?: () => number;
}

/**
 * Delay before reconnect attempt `attempt` (1-based): the ceiling doubles from
 * initialDelayMs up to maxDelayMs, and the delay is drawn from the upper half
 * of it ("equal jitter"), so it never drops below half the ceiling.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const initial = Math.max(1, options.initialDelayMs);
  const max = Math.max(initial, options.maxDelayMs);
  const n = Math.max(1, Math.floor(attempt));
  const ceiling = Math.min(max, initial * 2 ** Math.min(n - 1, 40));
  const r = Math.min(Math.max((options.random ?? Math.random)(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}
