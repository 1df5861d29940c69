import * as vscode from 'vscode';
import { makeApi, type IbGatewayApi } from './vscode/api';
import { connectNow } from './vscode/commands/connection-commands';
import { startSimulator } from './vscode/commands/simulator-commands';
import { wireServices } from './vscode/wire';

/** Activated lazily: by a command, the watchlist view or a restored chart panel. */
export function activate(context: vscode.ExtensionContext): IbGatewayApi {
  const services = wireServices(context);
  const { settings, log } = services;
  log.info(`IB Gateway ${String((context.extension.packageJSON as { version?: string }).version ?? '')} activated`);
  const { enabled, autoConnect, connection, simulator } = settings.current;
  // The first connection loads the IB client library (tens of milliseconds):
  // it starts right after activation returns, so the views appear first.
  if (enabled && simulator.autoStart) {
    // the demo: simulated gateway, watchlist in view
    setImmediate(() => void startSimulator(services).then(() => vscode.commands.executeCommand('ibWatchlist.focus')));
  } else if (enabled && autoConnect && connection) {
    setImmediate(() => void connectNow(services));
  }
  return makeApi(services);
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
