import * as vscode from 'vscode';
import { CandleService, MarketHoursService } from '../ib/candles';
import { ConnectionManager } from '../ib/connection';
import { ContractService } from '../ib/contracts';
import { QuoteService } from '../ib/quotes';
import { CHART_VIEW_TYPE } from './chart-panel';
import { ChartPanels } from './chart-panels';
import { registerCommands } from './commands/register';
import { createLogChannel } from './log-channel';
import type { Services } from './services';
import { SettingsSync } from './settings-sync';
import { SimulatorHost } from './simulator-host';
import { StatusBar } from './status-bar';
import { infoText } from './error-text';
import { NoticeThrottle } from '../ib/notice-throttle';
import { saveWatchlist } from './commands/watchlist-commands';
import { CONNECTED_BEFORE_KEY } from './commands/connection-commands';
import { WatchlistModel } from './watchlist/watchlist-model';
import { WatchlistTree } from './watchlist/watchlist-tree';
import { WatchlistView } from './watchlist/watchlist-view';
import { QUOTE_TABLE_VIEW, QuoteTableView } from './quote-table';
import type { DetailsOutcome } from './quote-details';
import { SessionScope } from './session-scope';
import { hostAllowed } from './trust';
import { registerBridge } from './bridge-host';
import { onQuickInputOpening } from './quick-input-calm';
import { rememberClientId } from './client-id-memory';

/** Builds every service and view, registers the commands; everything is disposed with the context. */
export function wireServices(context: vscode.ExtensionContext): Services {
  // the log's last lines, for the extension's own tests (a failing case prints them)
  const recentLog = context.extensionMode === vscode.ExtensionMode.Test ? [] : undefined;
  const { channel: log, logger } = createLogChannel(recentLog);
  const simulator = new SimulatorHost(log);
  // The settings drive services built just below; they are reached through `s` at call time.
  const ref: { s?: Services } = {};
  const settings = new SettingsSync({
    log,
    connection: { updateSettings: (c) => ref.s!.connection.updateSettings(c), disconnect: () => ref.s!.connection.disconnect() },
    quotes: { setMarketDataType: (t) => ref.s!.quotes.setMarketDataType(t) },
    watchlist: { setSymbols: (list) => ref.s!.watchlist.setSymbols(list) },
    simulatorAddress: () => simulator.address,
    hostAllowed: (host) => hostAllowed(context.globalState, host),
  });
  const connection = new ConnectionManager(settings.effective(), logger);
  const contracts = new ContractService(connection, logger);
  // a forming bar ends on the gateway's clock (market hours keep it), which a simulated gateway may set apart
  const candles: CandleService = new CandleService(connection, contracts, logger, { gatewayNow: (): number => market.nowSync() });
  const market = new MarketHoursService(connection, contracts, candles);
  // a quote's update time (forex has no trade time) on the gateway's clock, as market hours are
  const quotes = new QuoteService(connection, contracts, logger, { now: () => market.nowSync() });
  quotes.setMarketDataType(settings.current.marketDataType);
  const watchlist = new WatchlistModel(quotes, logger);
  watchlist.setSymbols(settings.current.watchlist);
  const status = new StatusBar(
    () => connection.status,
    () => quotes.activeLines,
    () => watchlist.symbols.length,
  );
  // quotes stream only while connected and IB Gateway/TWS has its own link to IB (lost at 1100): otherwise the
  // rows, hovers and quote table show their values as last known (a reconnect's wait can run through a restart)
  const live = () => {
    const st = connection.status;
    return st.phase === 'ready' && st.ibLink === 'ok' && watchlist.streaming;
  };
  const tree = new WatchlistTree(
    watchlist,
    () => connection.status.phase !== 'disabled',
    live,
    (list) => saveWatchlist(ref.s!, list),
  );
  tree.simulated = () => connection.status.simulated;
  tree.now = () => market.nowSync();
  const treeView = new WatchlistView(tree);
  const charts = new ChartPanels(
    {
      connection,
      candles,
      market,
      quotes,
      log,
      extensionUri: context.extensionUri,
      defaults: () => settings.current.chart,
      contracts,
    },
    context.workspaceState,
  );
  const quoteTable = new QuoteTableView(watchlist, context.extensionUri, {
    // opened with the keyboard and closed without opening the chart (Escape, a copy), the keyboard goes back to the
    // table's row (the page keeps its focused row); opened with a click, the focus stays where the person puts it
    details: (symbol, byKey) =>
      void vscode.commands
        .executeCommand<DetailsOutcome | undefined>('ibGateway.showQuoteDetails', symbol)
        .then((how) => byKey && how !== 'chart' && vscode.commands.executeCommand(`${QUOTE_TABLE_VIEW}.focus`)),
    chart: (symbol) => void vscode.commands.executeCommand('ibGateway.openChart', symbol),
    live,
    simulated: () => connection.status.simulated,
    offline: () => (connection.status.phase === 'disabled' ? 'IB is disabled: the setting jax.ib.enabled is off.' : watchMessage),
  });
  const services: Services = {
    context,
    log,
    recentLog,
    logger,
    settings,
    connection,
    contracts,
    quotes,
    candles,
    market,
    simulator,
    watchlist,
    tree,
    treeView,
    charts,
    quoteTable,
    status,
  };
  ref.s = services;

  const scope = new SessionScope(
    connection,
    () => watchlist.start(),
    () => watchlist.stop(),
  );
  let watchlistEmpty: boolean | undefined;
  /** What the watchlist says above its rows while they do not stream (the quote table says it too). */
  let watchMessage: string | undefined;
  const setPhaseContext = () => {
    const st = connection.status;
    void vscode.commands.executeCommand('setContext', 'ibGateway.phase', st.phase);
    // the view's welcome says "empty" by the list, not by the tree: a tree view made again is empty for a moment (see WatchlistView)
    if (watchlistEmpty !== !watchlist.symbols.length) {
      watchlistEmpty = !watchlist.symbols.length;
      void vscode.commands.executeCommand('setContext', 'ibGateway.watchlistEmpty', watchlistEmpty);
    }
    treeView.description = st.simulated ? 'SIMULATED' : st.phase === 'ready' && st.mode === 'live' ? 'LIVE' : undefined;
    // the rows stay while not connected: say so above them (what they show is last known only if they ever had a value)
    const known = watchlist.rows.some((r) => r.quote !== undefined);
    const shown = known ? 'Not connected: the last known values.' : 'Not connected.';
    // while the extension is trying, the view says so (as the status bar does) rather than asking for a Connect
    const trying = st.phase === 'connecting' || st.phase === 'reconnecting';
    // a first attempt has no countdown yet
    const countdown = st.phase === 'reconnecting' ? ' (the status bar counts down)' : '';
    // the gateway is up, but another program holds the client id: no simulator is the answer to that
    const clash = (st.phase === 'reconnecting' || st.phase === 'failed') && st.error?.code === 326;
    void vscode.commands.executeCommand('setContext', 'ibGateway.clientIdInUse', clash);
    treeView.message = watchMessage =
      live() || st.phase === 'disabled' || !watchlist.symbols.length || (st.phase === 'ready' && !watchlist.streaming)
        ? undefined
        : st.phase === 'ready'
          ? `IB Gateway/TWS has lost its link to IB's servers (1100)${known ? ': the last known values' : ''}. Quotes stream again when it is back.`
          : clash
            ? `${shown} Client id ${st.clientId} is in use at ${st.host}:${st.port}: another VS Code window or program (a jax service?) is connected with it${st.phase === 'reconnecting' ? '; trying again in the background' : ''}. Run IB: Use Next Client Id (or click the status bar) to connect with another.`
            : trying
              ? `${shown} ${st.phase === 'connecting' ? 'Connecting to' : 'Waiting for'} IB Gateway/TWS at ${st.host}:${st.port}${countdown}.${simulator.running ? '' : " No gateway at hand? Run IB: Start Simulated Gateway (in this view's title bar)."}`
              : simulator.running
                ? `${shown} The simulated gateway is still running: connect to it with IB: Connect (in this view's title bar or the status bar).`
                : `${shown} Run IB: Connect (in this view's title bar or the status bar); no gateway at hand? Run IB: Start Simulated Gateway.`;
    quoteTable.describe();
  };
  let lastPhase = connection.status.phase;
  let lastLive = live();
  // IB's notices in the log, a flood of one code cut to its first lines and a count
  const noticeLog = new NoticeThrottle((line, warn) => (warn ? log.warn(line) : log.info(line)));
  setPhaseContext();
  void vscode.commands.executeCommand('setContext', 'ibGateway.simulatorRunning', false);

  context.subscriptions.push(
    log,
    settings,
    { dispose: () => connection.dispose() },
    { dispose: () => quotes.dispose() },
    { dispose: () => candles.dispose() },
    scope,
    watchlist,
    tree,
    treeView,
    // the rows wait while one of the extension's quick inputs opens over a focused watchlist (see quick-input-calm.ts)
    onQuickInputOpening((ms) => tree.pauseRenders(ms)),
    charts,
    status,
    simulator,
    vscode.window.registerWebviewPanelSerializer(CHART_VIEW_TYPE, charts),
    connection.onStatus((st) => {
      if (st.phase === 'ready' && !st.simulated && context.globalState.get(CONNECTED_BEFORE_KEY) !== true)
        void context.globalState.update(CONNECTED_BEFORE_KEY, true);
      rememberClientId(context.workspaceState, st, settings.effective());
      status.render();
      setPhaseContext(); // the quote table's line too
      if (st.phase !== lastPhase)
        log.info(`connection: ${lastPhase} -> ${st.phase} (${st.host}:${st.port}, client ${st.clientId}${st.simulated ? ', SIMULATED' : ''})`);
      // the rows are drawn again when what they say changes: live, or last known
      if (st.phase !== lastPhase || live() !== lastLive) {
        lastPhase = st.phase;
        lastLive = live();
        tree.refresh();
        quoteTable.refresh();
      }
      // measures the gateway's clock once per connection (a switch to another gateway can pass from ready to
      // ready without another phase seen here; the clock asks again only when the connection is a new one)
      if (st.phase === 'ready') void market.now();
    }),
    connection.onIbError((e) => noticeLog.log(e.code, `[${e.code}] ${infoText(e)}`, e.category !== 'information')),
    noticeLog,
    watchlist.onDidChange((rows) => {
      if (rows) status.renderIfStreamingChanged();
      else {
        status.render();
        setPhaseContext();
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('jax.ib.chart.timeZone') && charts.refreshTimeZones()),
    vscode.window.registerWebviewViewProvider(QUOTE_TABLE_VIEW, quoteTable),
    quoteTable,
    simulator.onDidChange((running) => {
      void vscode.commands.executeCommand('setContext', 'ibGateway.simulatorRunning', running);
      setPhaseContext();
    }),
    ...registerCommands(services),
    ...registerBridge(services).disposables,
  );
  return services;
}
