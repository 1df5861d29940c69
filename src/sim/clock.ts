/**
 * The simulated clock: starts at a chosen instant and runs at a chosen speed,
 * so a weekend demo can stream a weekday session and tests can run hours of
 * market time in seconds.
 */
export interface ClockOptions {
  /** epoch ms the simulated clock starts at; default now. */
  start?: number;
  /** Simulated ms per real ms; default 1. */
  speed?: number;
}

export class SimClock {
  private readonly realStart: number;
  readonly start: number;
  readonly speed: number;

  constructor(
    options: ClockOptions = {},
    private readonly realNow: () => number = Date.now,
  ) {
    this.realStart = realNow();
    this.start = options.start ?? this.realStart;
    this.speed = options.speed !== undefined && options.speed > 0 ? options.speed : 1;
  }

  /** Simulated epoch ms. */
  now(): number {
    return Math.floor(this.start + (this.realNow() - this.realStart) * this.speed);
  }

  /** Simulated epoch seconds. */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Real ms that pass while the simulated clock advances by simulatedMs. */
  realDelay(simulatedMs: number): number {
    return simulatedMs / this.speed;
  }
}
