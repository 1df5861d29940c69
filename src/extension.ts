import * as vscode from 'vscode';
import { makeApi, type IbGatewayApi } from './vscode/api';
import { connectWhenEnabled, startUp } from './vscode/startup';
import { wireServices } from './vscode/wire';

/** Activated lazily: by a command, the watchlist view or a restored chart panel. */
export function activate(context: vscode.ExtensionContext): IbGatewayApi {
  const services = wireServices(context);
  const { log } = services;
  log.info(`IB Gateway ${String((context.extension.packageJSON as { version?: string }).version ?? '')} activated`);
  // The first connection loads the IB client library (tens of milliseconds):
  // it starts right after activation returns, so the views appear first.
  setImmediate(() => startUp(services).catch((e: unknown) => log.error(`start-up: ${e instanceof Error ? e.message : String(e)}`)));
  context.subscriptions.push(connectWhenEnabled(services));
  // the hooks that drive the extension (and the simulator's fault controls) only for its own tests
  return makeApi(services, context.extensionMode === vscode.ExtensionMode.Test);
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
