import * as vscode from 'vscode';
import { connectNow } from './commands/connection-commands';
import { startSimulator } from './commands/simulator-commands';
import type { Services } from './services';

/**
 * What activation starts (right after activate() returns, so the views come
 * first): the simulated gateway when it is set to start by itself, else the
 * configured gateway when autoConnect is on. A gateway that is not up yet (VS
 * Code started before IB Gateway) is waited for in the background.
 */
export async function startUp(s: Services): Promise<void> {
  const { enabled, autoConnect, connection, simulator } = s.settings.current;
  if (enabled && simulator.autoStart) {
    // the demo: simulated gateway, watchlist in view
    await startSimulator(s);
    await vscode.commands.executeCommand('ibWatchlist.focus');
  } else if (enabled && autoConnect && connection) {
    await connectNow(s, { waitForGateway: true });
  }
}
