/**
 * Real time as the simulator sees it: what it measures (the message rate,
 * historical pacing, the market clock) and what it schedules (faults, stream
 * intervals, delayed replies, the handshake limit). The default is the
 * process's own clock and timers; a test passes another (a fake clock it
 * advances) so a 7-second stall or a 15-second pacing window costs no wait.
 */

/** A timer as the scheduler hands it out; only for cancelling it. */
export type TimerHandle = unknown;

export interface SimScheduler {
  /** Epoch ms of real time. */
  now(): number;
  /** Runs fn once after ms; keepAlive: the timer holds the process open (the real scheduler's timers do not by default). */
  setTimeout(fn: () => void, ms: number, options?: { keepAlive?: boolean }): TimerHandle;
  /** Runs fn every ms until cleared. */
  setInterval(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timeout or an interval (undefined is ignored). */
  clear(handle: TimerHandle | undefined): void;
}

/**
 * The process clock. Its timers do not keep the process alive (a simulator
 * inside the extension or a test must not hold node open).
 */
export const realScheduler: SimScheduler = {
  now: () => Date.now(),
  setTimeout: (fn, ms, options) => {
    const t = setTimeout(fn, ms);
    if (!options?.keepAlive) t.unref();
    return t;
  },
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms);
    t.unref();
    return t;
  },
  clear: (handle) => {
    if (handle !== undefined) clearTimeout(handle as NodeJS.Timeout);
  },
};
