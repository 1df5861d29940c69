/**
 * How @stoqey/ib's decoder reads a field's text as a value (its readInt,
 * readDouble and readDecimal), for the messages the transport reads in one
 * pass (tick-frames.ts, historical-data-frame.ts): the same text gives the
 * same value either way.
 */

/** The library's readInt: "" is 0. */
export function libraryInt(token: string): number {
  return token === '' ? 0 : parseInt(token, 10);
}

/** The library's readDouble: "" is 0, Number.MAX_VALUE is none. */
export function libraryDouble(token: string): number | undefined {
  if (token === '') return 0;
  const v = parseFloat(token);
  return v === Number.MAX_VALUE ? undefined : v;
}

/** The library's readDecimal: "" is none, thousands separators dropped, Number.MAX_VALUE or Infinity is none. */
export function libraryDecimal(token: string): number | undefined {
  if (token === '') return undefined;
  const v = parseFloat(token.includes(',') ? token.replaceAll(',', '') : token);
  return v === Number.MAX_VALUE || v === Infinity ? undefined : v;
}
