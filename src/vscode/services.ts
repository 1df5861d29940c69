import type * as vscode from 'vscode';
import type { CandleService, MarketHoursService } from '../ib/candles';
import type { ConnectionManager } from '../ib/connection';
import type { ContractService } from '../ib/contracts';
import type { Logger } from '../ib/log';
import type { QuoteService } from '../ib/quotes';
import type { ChartPanels } from './chart-panels';
import type { QuoteTableView } from './quote-table';
import type { SettingsSync } from './settings-sync';
import type { SimulatorHost } from './simulator-host';
import type { StatusBar } from './status-bar';
import type { WatchlistModel } from './watchlist/watchlist-model';
import type { WatchlistTree } from './watchlist/watchlist-tree';
import type { WatchlistView } from './watchlist/watchlist-view';

/** Everything the commands work with, wired once in activate(). */
export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  /** The log's last lines, kept only while the extension runs its own tests. */
  recentLog?: readonly string[];
  logger: Logger;
  settings: SettingsSync;
  connection: ConnectionManager;
  contracts: ContractService;
  quotes: QuoteService;
  candles: CandleService;
  /** Market hours on the gateway's clock; the last session's bars when a range is empty. */
  market: MarketHoursService;
  simulator: SimulatorHost;
  watchlist: WatchlistModel;
  tree: WatchlistTree;
  /** The watchlist's tree view (made again now and then: see WatchlistView). */
  treeView: WatchlistView;
  charts: ChartPanels;
  quoteTable: QuoteTableView;
  status: StatusBar;
}
