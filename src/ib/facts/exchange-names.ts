/**
 * Exchange names as IB writes them now. IB renamed its US NASDAQ venue from
 * "ISLAND" to "NASDAQ" (TWS 10.16): contract definitions naming ISLAND are no
 * longer accepted unless TWS has "Compatibility Mode: Send ISLAND for US
 * Stocks trading on NASDAQ" on, and a TWS with that mode on still sends ISLAND
 * (recorded: SYMBOL_SAMPLES for TSLA, primary exchange ISLAND, while its
 * CONTRACT_DATA says NASDAQ). So ISLAND is read, and written, as NASDAQ.
 */
const RENAMED: Readonly<Record<string, string>> = { ISLAND: 'NASDAQ' };

/** IB's current name of an exchange ("ISLAND" -> "NASDAQ"); others as they are. */
export function currentExchangeName(name: string): string {
  return RENAMED[name] ?? name;
}

/**
 * Exchanges that list futures and no stocks (IB's names): a bare root written with one of them ("ES@CME") is its
 * future, as a futures trader writes it.
 */
export const FUTURES_EXCHANGES: ReadonlySet<string> = new Set([
  'CME',
  'CBOT',
  'NYMEX',
  'COMEX',
  'CFE',
  'GLOBEX',
  'ECBOT',
  'NYBOT',
  'EUREX',
  'ICEEU',
  'OSE.JPN',
  'HKFE',
]);
