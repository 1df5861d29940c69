import * as vscodeApi from 'vscode';
import type * as vscode from 'vscode';
import type { CandleService } from '../ib/candles';
import type { ConnectionManager } from '../ib/connection';
import type { ContractService } from '../ib/contracts';
import type { QuoteService } from '../ib/quotes';
import type { SimServer } from '../sim/server';
import { CHART_VIEW_TYPE, type ChartInfo } from './chart-panel';
import type { Services } from './services';
import { startUp } from './startup';
import type { ExtensionSettings } from './settings';
import type { StatusSeverity } from './status-view';
import type { WatchRow } from './watchlist/watchlist-model';

/**
 * What activate() returns: read-only views of the extension's state, so tests
 * (and other extensions) can check what is shown without scraping the UI.
 */
export interface IbGatewayApi {
  readonly connection: ConnectionManager;
  readonly contracts: ContractService;
  readonly quotes: QuoteService;
  readonly candles: CandleService;
  settings(): ExtensionSettings;
  /** Runs again what activation starts: the simulated gateway, or the auto-connect that waits for a gateway not up yet. */
  startUp(): Promise<void>;
  statusText(): string;
  statusTooltip(): string;
  statusSeverity(): StatusSeverity;
  simulator(): { running: boolean; address?: { host: string; port: number }; server?: SimServer };
  watchlist: {
    symbols(): string[];
    rows(): WatchRow[];
    /** The tree items the view shows now (none while disconnected: the welcome content shows). */
    treeItems(): vscode.TreeItem[];
    /** Row refresh events fired so far (coalesced). */
    refreshCount(): number;
    /** Drags rows onto a target row (or the end) through the tree's drag-and-drop controller. */
    dragAndDrop(symbols: string[], target?: string): Promise<string[]>;
  };
  charts: {
    symbols(): string[];
    info(symbol: string): ChartInfo | undefined;
    /** The webview HTML of a chart panel (to check its Content Security Policy). */
    html(symbol: string): string | undefined;
    /** Delivers a message as if the chart webview had posted it. */
    simulateMessage(symbol: string, message: unknown): void;
    /** Closes a chart panel the way its tab's close button does. */
    close(symbol: string): void;
    /** Hands a new chart panel and a saved state to the serializer, as VS Code does after a window reload. */
    restore(state: unknown): Promise<ChartInfo | undefined>;
  };
}

export function makeApi(s: Services): IbGatewayApi {
  return {
    connection: s.connection,
    contracts: s.contracts,
    quotes: s.quotes,
    candles: s.candles,
    settings: () => s.settings.current,
    startUp: () => startUp(s),
    statusText: () => s.status.text,
    statusTooltip: () => s.status.tooltip,
    statusSeverity: () => s.status.severity,
    simulator: () => ({ running: s.simulator.running, address: s.simulator.address, server: s.simulator.sim }),
    watchlist: {
      symbols: () => [...s.watchlist.symbols],
      rows: () => s.watchlist.rows,
      treeItems: () => s.tree.getChildren().map((r) => s.tree.getTreeItem(r)),
      refreshCount: () => s.watchlist.refreshCount,
      dragAndDrop: async (symbols, target) => {
        const rows = s.watchlist.rows;
        const transfer = new vscodeApi.DataTransfer();
        s.tree.handleDrag(rows.filter((r) => symbols.includes(r.symbol)), transfer);
        await s.tree.handleDrop(rows.find((r) => r.symbol === target), transfer);
        return [...s.watchlist.symbols];
      },
    },
    charts: {
      symbols: () => s.charts.symbols,
      info: (symbol) => s.charts.get(symbol)?.info,
      html: (symbol) => s.charts.get(symbol)?.panel.webview.html,
      simulateMessage: (symbol, message) => s.charts.get(symbol)?.receive(message),
      close: (symbol) => s.charts.get(symbol)?.panel.dispose(),
      restore: async (state) => {
        const before = new Set(s.charts.symbols);
        const panel = vscodeApi.window.createWebviewPanel(CHART_VIEW_TYPE, 'restoring', vscodeApi.ViewColumn.Active, {});
        await s.charts.deserializeWebviewPanel(panel, state);
        const added = s.charts.symbols.find((x) => !before.has(x));
        return added ? s.charts.get(added)?.info : undefined;
      },
    },
  };
}
