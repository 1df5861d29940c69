/**
 * The log's share of a flood of notices: at most LIMIT lines of one code in
 * WINDOW_MS, then one line saying how many more there were. A gateway that
 * sends thousands of notices a second (a hostile one; a farm flapping) would
 * otherwise write each to the output channel.
 */
export const NOTICE_LOG_LIMIT = 20;
export const NOTICE_LOG_WINDOW_MS = 10_000;

interface Window {
  start: number;
  logged: number;
  held: number;
}

export class NoticeThrottle {
  private readonly windows = new Map<number, Window>();
  private timer: unknown;

  constructor(
    private readonly write: (line: string, warn: boolean) => void,
    private readonly clock: { now(): number; setTimeout(fn: () => void, ms: number): unknown; clearTimeout(h: unknown): void } = {
      now: Date.now,
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    },
  ) {}

  /** Logs a notice's line, unless its code has had its share of this window. */
  log(code: number, line: string, warn: boolean): void {
    const now = this.clock.now();
    let w = this.windows.get(code);
    if (w && now - w.start >= NOTICE_LOG_WINDOW_MS) {
      this.summarise(code, w);
      w = undefined;
    }
    if (!w) {
      // a code the map has not seen in a while; the map holds at most the codes of one window
      if (this.windows.size >= 1000) this.flush();
      w = { start: now, logged: 0, held: 0 };
      this.windows.set(code, w);
    }
    if (w.logged < NOTICE_LOG_LIMIT) {
      w.logged++;
      this.write(line, warn);
      return;
    }
    w.held++;
    this.timer ??= this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, NOTICE_LOG_WINDOW_MS);
  }

  /** Writes what was held back and starts every code afresh. */
  flush(): void {
    for (const [code, w] of this.windows) this.summarise(code, w);
    this.windows.clear();
  }

  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  private summarise(code: number, w: Window): void {
    if (w.held > 0) this.write(`[${code}] ${w.held} more like this in ${NOTICE_LOG_WINDOW_MS / 1000} s, not logged one by one`, true);
    w.held = 0;
  }
}
