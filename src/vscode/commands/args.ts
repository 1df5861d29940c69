/** Reading command arguments: tests and menus pass them, the palette passes none. */

/** A symbol text from an argument (a string, or a watchlist row with a symbol), or undefined. */
export function symbolArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { symbol?: unknown }).symbol === 'string') return (arg as { symbol: string }).symbol;
  return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
