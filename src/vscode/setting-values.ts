/**
 * The editor's own settings facts (the connection's are in `ib/config.ts`):
 * the defaults and limits `package.json` declares for VS Code's settings
 * editor, here for the code that checks the values. A unit test holds the
 * two together (test/unit/settings-manifest.test.ts).
 */
import type { MarketDataTypeSetting } from '../ib/types';

export const SECTION = 'jax.ib';
export const DEFAULT_BAR_SIZE = '5 mins';
export const DEFAULT_DURATION = '1 D';
export const MARKET_DATA_TYPES: readonly MarketDataTypeSetting[] = ['auto', 'live', 'frozen', 'delayed', 'delayed-frozen'];
/** Longest watchlist entry, in characters: the longest symbol text the domain reads. */
export { MAX_SYMBOL_LENGTH } from '../ib/contracts/symbol';
/** Most watchlist entries read; the rest are skipped with a problem. */
export const MAX_WATCHLIST = 200;
export const SIMULATOR_DEFAULTS = { port: 0, seed: 42 } as const;
export const SEED_RANGE: readonly [number, number] = [-2147483648, 2147483647];
export const PORT_RANGE: readonly [number, number] = [1, 65535];
