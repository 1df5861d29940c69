import * as vscode from 'vscode';
import type { Services } from '../services';
import { fetchCandlesCommand, openChartCommand } from './candle-commands';
import { exportJaxConfigCommand, importJaxConfigCommand } from './config-commands';
import { connectCommand, disconnectCommand, enableCommand, showMenuCommand, useNextClientIdCommand } from './connection-commands';
import { getQuoteCommand, quoteDetailsCommand } from './quote-commands';
import { startSimulator, stopSimulator } from './simulator-commands';
import { addToWatchlist, goToWatchlistRow, moveInWatchlist, refreshWatchlist, removeFromWatchlist, undoRemoval } from './watchlist-commands';

type Handler = (...args: unknown[]) => unknown;

/** Registers every ibGateway.* command. Each returns its result so callers (and tests) can drive it. */
export function registerCommands(s: Services): vscode.Disposable[] {
  const commands: Record<string, Handler> = {
    connect: () => connectCommand(s),
    disconnect: () => disconnectCommand(s),
    useNextClientId: () => useNextClientIdCommand(s),
    getQuote: (arg) => getQuoteCommand(s, arg),
    showQuoteDetails: (arg) => quoteDetailsCommand(s, arg),
    showQuoteTable: () => vscode.commands.executeCommand('ibQuoteTable.focus'),
    fetchCandles: (arg) => fetchCandlesCommand(s, arg),
    openChart: (arg, options) => openChartCommand(s, arg, options),
    addToWatchlist: (arg) => addToWatchlist(s, arg),
    removeFromWatchlist: (arg, rows) => removeFromWatchlist(s, arg, rows),
    // the Undo of a Delete's notice (not in the palette)
    undoRemoveFromWatchlist: () => undoRemoval(s),
    refreshWatchlist: () => refreshWatchlist(s),
    goToWatchlistRow: () => goToWatchlistRow(s),
    moveUp: (arg) => moveInWatchlist(s, arg, -1),
    moveDown: (arg) => moveInWatchlist(s, arg, 1),
    startSimulator: () => startSimulator(s),
    stopSimulator: () => stopSimulator(s),
    importJaxConfig: (arg) => importJaxConfigCommand(s, arg),
    exportJaxConfig: (arg) => exportJaxConfigCommand(s, arg),
    showLog: () => s.log.show(),
    showMenu: () => showMenuCommand(s),
    enable: () => enableCommand(),
  };
  return Object.entries(commands).map(([id, handler]) =>
    vscode.commands.registerCommand(`ibGateway.${id}`, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (e) {
        // a last guard: a command never throws into the workbench
        s.log.error(`ibGateway.${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        void vscode.window.showErrorMessage(`IB: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    }),
  );
}
