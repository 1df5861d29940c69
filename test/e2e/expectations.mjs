// What a person should see, in one place so names are easy to adjust when the
// extension's texts change.
export const EXTENSION_ID = 'jax-tools.ib-gateway-vscode';
export const VSIX = 'dist/ib-gateway-vscode.vsix';

/** Activity-bar container and the watchlist view inside it. */
export const VIEW_CONTAINER_LABEL = 'IB Gateway';
export const WATCHLIST = ['AAPL', 'MSFT', 'SPY', 'EUR.USD'];

/** Status bar item: its text starts with this, then tells the phase. */
export const STATUS_PREFIX = 'IB';
export const STATUS = {
  disconnected: /disconnected/i,
  ready: /streaming/i,
  /** ready, with one streaming line per watchlist row */
  streamingAll: new RegExp(`\\b${WATCHLIST.length} streaming`, 'i'),
  reconnecting: /reconnecting|connecting/i,
};

/** Commands, by the title a person types in the palette. */
export const COMMANDS = {
  connect: 'IB: Connect',
  openChart: 'IB: Open Chart',
  getQuote: 'IB: Get Quote',
  quoteTable: 'IB: Show Quote Table',
};
/** Symbol typed when a command asks for one. */
export const CHART_SYMBOL = 'AAPL';

/** Settings the workbench starts with (the simulator's address is added at run time). */
export const SETTINGS = {
  'jax.ib.autoConnect': false,
  'jax.ib.clientId': 11,
  'jax.ib.watchlist': WATCHLIST,
  'jax.ib.marketDataType': 'auto',
  'jax.ib.reconnect.enabled': true,
  'jax.ib.reconnect.initialDelayMs': 500,
  'jax.ib.reconnect.maxDelayMs': 2000,
  'workbench.colorTheme': 'Default Dark Modern',
};

/** Screenshot file names (test-results/e2e/screenshots/, or docs/screenshots/ with npm run screenshots). */
export const SHOTS = {
  disconnected: 'status-disconnected.png',
  palette: 'command-palette.png',
  ready: 'status-ready.png',
  watchlist: 'watchlist.png',
  rowHover: 'watchlist-hover.png',
  futuresSearch: 'search-futures.png',
  quoteTable: 'quote-table.png',
  settings: 'settings.png',
  chart: 'chart.png',
  overview: 'overview.png',
  reconnecting: 'status-reconnecting.png',
};
