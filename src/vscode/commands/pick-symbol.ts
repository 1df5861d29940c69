/** The symbol picker as the commands open it. */
import type { Services } from '../services';
import { pickSymbol } from '../symbol-picker';

/**
 * Asks for a symbol: IB's search while connected, `suggestions` (the watchlist) before anything is typed, a future's
 * roll week on the gateway's clock; `bars` (a chart, candles): a future's continuous future after its months.
 * Resolves to the chosen text, or undefined when dismissed.
 */
export function pickSymbolFor(s: Services, title: string, suggestions: readonly string[] = [], bars = false): Promise<string | undefined> {
  return pickSymbol(
    s.contracts,
    () => s.connection.status.phase === 'ready',
    title,
    suggestions,
    () => s.market.now(),
    bars,
  );
}
