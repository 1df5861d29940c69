import * as vscodeApi from 'vscode';
import type * as vscode from 'vscode';
import type { ConnectionStatus, IbErrorInfo, Quote, ResolvedContract } from '../ib/types';
import type { SimServer } from '../sim/server';
import { CHART_VIEW_TYPE, type ChartInfo } from './chart-panel';
import type { Services } from './services';
import { startUp } from './startup';
import { openPicker } from './symbol-picker';
import { openStep } from './multi-step';
import { openDetails } from './commands/quote-commands';
import type { ExtensionSettings } from './settings';
import type { StatusSeverity } from './status-view';

/**
 * What activate() returns to other extensions: small read-only views of
 * what the extension shows, copies taken when asked, and status events.
 * Nothing here reaches the IB client (no request, let alone an order, can be
 * sent through it) nor the simulated gateway's controls.
 */
export interface IbGatewayApi {
  readonly connection: {
    readonly status: ConnectionStatus;
    onStatus(listener: (status: ConnectionStatus) => void): vscode.Disposable;
  };
  readonly quotes: { readonly activeLines: number };
  settings(): ExtensionSettings;
  statusText(): string;
  statusTooltip(): string;
  statusSeverity(): StatusSeverity;
  simulator(): { running: boolean; address?: { host: string; port: number } };
  watchlist: {
    symbols(): string[];
    /** Each row as it stands: its symbol, latest quote and error (copies). */
    rows(): Array<{ symbol: string; quote?: Quote; error?: IbErrorInfo }>;
    /** The tree items the view shows now, hover resolved (none while disconnected: the welcome content shows). */
    treeItems(): vscode.TreeItem[];
    /** Row refresh events fired so far (coalesced). */
    refreshCount(): number;
  };
  charts: {
    symbols(): string[];
    info(symbol: string): ChartInfo | undefined;
    /** The webview HTML of a chart panel (to check its Content Security Policy). */
    html(symbol: string): string | undefined;
  };
  /** Hooks that drive the extension, only while it runs its own tests (ExtensionMode.Test). */
  readonly test?: IbGatewayTestHooks;
}

export interface IbGatewayTestHooks {
  /** Runs again what activation starts: the simulated gateway, or the auto-connect that waits for a gateway not up yet. */
  startUp(): Promise<void>;
  /** The running simulated gateway itself (its fault controls and records). */
  simulatorServer(): SimServer | undefined;
  /** Ends what a window reload ends with the extension host (the connection, the simulated gateway), not through a command. */
  endAsOnReload(): Promise<void>;
  /** Drags rows onto a target row (or the end) through the tree's drag-and-drop controller. */
  dragAndDrop(symbols: string[], target?: string): Promise<string[]>;
  /** Delivers a message as if the chart webview had posted it. */
  simulateMessage(symbol: string, message: unknown): void;
  /** Closes a chart panel the way its tab's close button does. */
  closeChart(symbol: string): void;
  /** Hands a new chart panel and a saved state to the serializer, as VS Code does after a window reload. */
  restoreChart(state: unknown): Promise<ChartInfo | undefined>;
  /** The symbol search open now: what it lists, which row is active, and typing into it. */
  symbolPicker():
    | { value: string; type(text: string): void; rows(): Array<{ label: string; description?: string }>; active(): string | undefined; busy: boolean }
    | undefined;
  /** A contract already qualified, by conId (a copy). */
  contract(conId: number): ResolvedContract | undefined;
  /** The step of a multi-step input open now (Fetch Candles, Import jax Config): its title, value, rows, focused row and buttons. */
  inputStep(): { title?: string; value: string; rows: string[]; active?: string; buttons: number; type(text: string): void } | undefined;
  /** Selects and focuses a watchlist row, as a click does. */
  selectRow(symbol: string): Promise<void>;
  /** The message above the watchlist's rows (e.g. not connected). */
  watchlistMessage(): string | undefined;
  /** Rows the watchlist tree rendered (the last 10,000), with what each showed; with `since` (a renderCount), only those rendered after it. */
  renders(since?: number): Array<{ symbol: string; key: string; asked: boolean; at: number }>;
  /** How many rows the watchlist tree rendered so far. */
  renderCount(): number;
  /** When the watchlist asked VS Code to render rows, and how many (the last 1,000 times); how often each row was rendered so asked; how often it asked for the whole list. */
  watchlistDraws(): { fires: Array<{ at: number; rows: number }>; asked: Record<string, number>; wholes: number };
  /** Whether the watchlist view shows now (its rows are rendered only then). */
  watchlistShown(): boolean;
  /** Asks VS Code to draw every watchlist row again now, outside the pace (as a burst of prices would, for memory tests). */
  redrawWatchlist(): void;
  /** Renders the watchlist's rows at another pace, or at its own again without one (benchmarks). */
  paceWatchlist(pace?: { intervalMs: number; rowsPerSecond: number }): void;
  /** Times the watchlist's tree view was made again (see WatchlistView), the symbols of its selected rows, and its title. */
  watchlistView(): { remakes: number; selection: string[]; title?: string };
  /** Makes the watchlist's tree view again now, as it is made where nobody sees it. */
  remakeWatchlistView(): Promise<void>;
  /** The quote table: whether it shows now, how many rows were sent to it so far, and whether its page was last told to show the SIMULATED badge. */
  quoteTable(): { shown: boolean; rowsSent: number; description?: string; simulatedBadge?: boolean; offline?: string };
  /** The Quote Details open now: its rows as label and value. */
  details(): Array<{ label: string; description?: string; active: boolean }> | undefined;
  /** The title of the Quote Details open now. */
  detailsTitle(): string | undefined;
  /** The log's last lines (at most 300), each with the time it was written. */
  recentLog(): string[];
}

/** The API as the extension's own tests see it: the hooks are there. */
export type IbGatewayTestApi = IbGatewayApi & { readonly test: IbGatewayTestHooks };

const copy = <T>(value: T): T => structuredClone(value);

export function makeApi(s: Services, withTestHooks: boolean): IbGatewayApi {
  const api: IbGatewayApi = {
    connection: {
      get status() {
        return copy(s.connection.status);
      },
      onStatus: (listener) => s.connection.onStatus((st) => listener(copy(st))),
    },
    quotes: {
      get activeLines() {
        return s.quotes.activeLines;
      },
    },
    settings: () => copy(s.settings.current),
    statusText: () => s.status.text,
    statusTooltip: () => s.status.tooltip,
    statusSeverity: () => s.status.severity,
    simulator: () => ({ running: s.simulator.running, address: s.simulator.address && { ...s.simulator.address } }),
    watchlist: {
      symbols: () => [...s.watchlist.symbols],
      rows: () => s.watchlist.rows.map((r) => copy({ symbol: r.symbol, quote: r.quote, error: r.error })),
      // as VS Code shows them: the hover resolved
      treeItems: () => s.tree.getChildren().map((r) => s.tree.itemOf(r)),
      refreshCount: () => s.watchlist.refreshCount,
    },
    charts: {
      symbols: () => [...s.charts.symbols],
      info: (symbol) => copy(s.charts.get(symbol)?.info),
      html: (symbol) => s.charts.get(symbol)?.panel.webview.html,
    },
  };
  if (!withTestHooks) return Object.freeze(api);
  // the logs the hooks read are kept only while the extension runs its own tests, and not in the benchmark (it measures what users run)
  s.tree.recording = !process.env.IB_BENCH;
  const test: IbGatewayTestHooks = {
    startUp: () => startUp(s),
    simulatorServer: () => s.simulator.sim,
    endAsOnReload: async () => {
      await s.connection.disconnect();
      await s.simulator.stop();
    },
    dragAndDrop: async (symbols, target) => {
      const rows = s.watchlist.rows;
      const transfer = new vscodeApi.DataTransfer();
      s.tree.handleDrag(
        rows.filter((r) => symbols.includes(r.symbol)),
        transfer,
      );
      await s.tree.handleDrop(
        rows.find((r) => r.symbol === target),
        transfer,
      );
      return [...s.watchlist.symbols];
    },
    simulateMessage: (symbol, message) => s.charts.get(symbol)?.receive(message),
    closeChart: (symbol) => s.charts.get(symbol)?.panel.dispose(),
    restoreChart: async (state) => {
      const before = new Set(s.charts.symbols);
      const panel = vscodeApi.window.createWebviewPanel(CHART_VIEW_TYPE, 'restoring', vscodeApi.ViewColumn.Active, {});
      await s.charts.deserializeWebviewPanel(panel, state);
      const added = s.charts.symbols.find((x) => !before.has(x));
      return added ? copy(s.charts.get(added)?.info) : undefined;
    },
    symbolPicker: () => {
      const qp = openPicker.current;
      if (!qp) return undefined;
      return {
        value: qp.value,
        busy: qp.busy,
        type: (text) => (qp.value = text),
        rows: () => qp.items.map((i) => ({ label: i.label, description: i.description })),
        active: () => (qp.activeItems[0] ? `${qp.activeItems[0].label} ${qp.activeItems[0].description ?? ''}`.trim() : undefined),
      };
    },
    contract: (conId) => copy(s.contracts.cached(conId)),
    inputStep: () => {
      const q = openStep.current;
      if (!q) return undefined;
      const pick = 'items' in q ? q : undefined;
      return {
        title: q.title,
        value: q.value,
        rows: pick ? pick.items.map((i) => i.label) : [],
        active: pick?.activeItems[0]?.label,
        buttons: q.buttons.length,
        type: (text: string) => (q.value = text),
      };
    },
    renders: (since = 0) => s.tree.renders.filter((r) => r.n > since).map(({ symbol, key, asked, at }) => ({ symbol, key, asked, at })),
    renderCount: () => s.tree.renderCount,
    watchlistDraws: () => ({ fires: s.tree.fires.map((f) => ({ ...f })), asked: Object.fromEntries(s.tree.askedRenders), wholes: s.tree.wholes }),
    watchlistShown: () => s.tree.viewShown,
    redrawWatchlist: () => s.tree.redrawAll(),
    paceWatchlist: (pace) => s.tree.setPace(pace),
    watchlistView: () => ({ remakes: s.treeView.remakes, selection: s.treeView.selection.map((r) => r.symbol), title: s.treeView.title }),
    remakeWatchlistView: () => s.treeView.remake(),
    quoteTable: () => ({
      shown: s.quoteTable.shown,
      rowsSent: s.quoteTable.rowsSent,
      description: s.quoteTable.description,
      simulatedBadge: s.quoteTable.simulatedSent,
      offline: s.quoteTable.offlineSent,
    }),
    selectRow: async (symbol) => {
      const row = s.watchlist.row(symbol);
      if (row) await s.treeView.reveal(row, { select: true, focus: true });
    },
    watchlistMessage: () => s.treeView.message,
    details: () => {
      const qp = openDetails.current;
      return qp?.items.map((i) => ({ label: i.label, description: i.description, active: qp.activeItems.includes(i) }));
    },
    detailsTitle: () => openDetails.current?.title,
    recentLog: () => [...(s.recentLog ?? [])],
  };
  return Object.freeze({ ...api, test });
}
