/** Rounding to an instrument's tick size, monotone so that max/min survive rounding. */

function decimalsOf(step: number): number {
  for (let d = 0; d <= 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9) return d;
  }
  return 12;
}

export interface Rounder {
  tick: number;
  decimals: number;
  /** Nearest multiple of the tick, as the shortest decimal double. */
  price(x: number): number;
  /** To `decimals + extra` decimal places (for WAP and similar averages). */
  fine(x: number, extra?: number): number;
}

export function rounderFor(tick: number): Rounder {
  const decimals = decimalsOf(tick);
  const p10 = 10 ** decimals;
  return {
    tick,
    decimals,
    price: (x) => Math.round(Math.round(x / tick) * tick * p10) / p10,
    fine: (x, extra = 2) => {
      const f = 10 ** (decimals + extra);
      return Math.round(x * f) / f;
    },
  };
}
