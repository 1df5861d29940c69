import * as vscode from 'vscode';
import { makeApi, type IbGatewayApi } from './vscode/api';
import { connectNow } from './vscode/commands/connection-commands';
import { wireServices } from './vscode/wire';

/** Activated lazily: by a command, the watchlist view or a restored chart panel. */
export function activate(context: vscode.ExtensionContext): IbGatewayApi {
  const services = wireServices(context);
  const { settings, log } = services;
  log.info(`IB Gateway ${String((context.extension.packageJSON as { version?: string }).version ?? '')} activated`);
  if (settings.current.enabled && settings.current.autoConnect && settings.current.connection) {
    void connectNow(services);
  }
  return makeApi(services);
}

export function deactivate(): void {
  // everything is disposed through context.subscriptions
}
