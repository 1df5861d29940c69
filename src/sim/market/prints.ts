/**
 * The size of one print (IB's LAST_SIZE: "number of contracts or lots traded at
 * the last price"), not the second's volume: most US stock prints are odd lots
 * or one round lot, a few are blocks; most futures prints are a contract or a few.
 */
export function printSize(secType: string, hash: number, tradedThisSecond: number): number {
  const u = hash % 100;
  const v = hash >>> 8;
  let size: number;
  if (secType === 'FUT') size = u < 55 ? 1 : u < 80 ? 2 + (v % 3) : u < 95 ? 5 + (v % 6) : 11 + (v % 40);
  else if (secType === 'STK') size = u < 40 ? 1 + (v % 99) : u < 75 ? 100 : u < 92 ? 100 * (2 + (v % 4)) : 100 * (6 + (v % 25));
  else size = 1 + (v % 10);
  // a print never holds more than the second traded
  return tradedThisSecond > 0 ? Math.min(size, tradedThisSecond) : size;
}
