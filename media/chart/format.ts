/** Number and time formatting for the legend. */

/** Decimals needed to show these prices exactly (2..8). */
export function pricePrecision(prices: number[]): number {
  let max = 2;
  for (const p of prices) {
    if (!Number.isFinite(p)) continue;
    const text = Math.abs(p).toFixed(8).replace(/0+$/, '');
    const dot = text.indexOf('.');
    const decimals = dot < 0 ? 0 : text.length - dot - 1;
    if (decimals > max) max = decimals;
    if (max >= 8) return 8;
  }
  return max;
}

export function formatPrice(value: number, precision: number): string {
  return value.toFixed(precision);
}

/** 950, 12.3K, 4.56M, 1.2B. */
export function formatVolume(value: number): string {
  const abs = Math.abs(value);
  const scaled = (n: number, suffix: string) => `${(value / n).toFixed(value / n >= 100 ? 0 : value / n >= 10 ? 1 : 2)}${suffix}`;
  if (abs >= 1e9) return scaled(1e9, 'B');
  if (abs >= 1e6) return scaled(1e6, 'M');
  if (abs >= 1e4) return scaled(1e3, 'K');
  return String(Math.round(value));
}

/** "+1.23 (+0.45%)" from the previous close (or the bar's open when there is none). */
export function formatChange(close: number, reference: number, precision: number): string {
  const diff = close - reference;
  const sign = diff > 0 ? '+' : diff < 0 ? '\u2212' : '';
  const pct = reference !== 0 ? (Math.abs(diff) / Math.abs(reference)) * 100 : 0;
  return `${sign}${Math.abs(diff).toFixed(precision)} (${sign}${pct.toFixed(2)}%)`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Bar time (UTC epoch seconds) as "2025-11-25 14:35 UTC", or just the date for daily and longer bars. */
export function formatBarTime(epochSeconds: number, barSeconds: number | undefined): string {
  const d = new Date(epochSeconds * 1000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (barSeconds !== undefined && barSeconds >= 86400) return date;
  const secs = barSeconds !== undefined && barSeconds < 60 ? `:${pad(d.getUTCSeconds())}` : '';
  return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${secs} UTC`;
}
