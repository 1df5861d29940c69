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

const wireDecimals = new Map<number, number>();

/**
 * A price as TWS writes it on the wire for an instrument of this tick size: to one decimal past the tick's order
 * of magnitude (0.01: 3, 0.25: 2), and never fewer than the tick itself has, so a Treasury future's 110.515625
 * (1/64) or 108.0078125 (1/128) goes out whole, not cut to 110.516. Unchanged where the tick is not positive.
 */
export function wirePrice(value: number, tick: number): number {
  if (!(tick > 0)) return value;
  let decimals = wireDecimals.get(tick);
  if (decimals === undefined) {
    const magnitude = Math.max(0, Math.min(10, Math.ceil(-Math.log10(tick)) + 1));
    decimals = Math.max(magnitude, decimalsOf(tick));
    wireDecimals.set(tick, decimals);
  }
  return Number(value.toFixed(decimals));
}
