import * as vscode from 'vscode';
import { connectNow } from './commands/connection-commands';
import { SIMULATOR_IN_USE_KEY, startSimulator } from './commands/simulator-commands';
import type { Services } from './services';
import { whenTrusted } from './trust';

/**
 * What activation starts (right after activate() returns, so the views come
 * first): the simulated gateway when it is set to start by itself, else the
 * configured gateway when autoConnect is on; the simulated gateway again when
 * the window was using it when it last closed (a reload). A gateway that is not up yet (VS
 * Code started before IB Gateway) is waited for in the background. In a
 * workspace the user has not trusted, nothing starts until they trust it.
 */
export async function startUp(s: Services): Promise<void> {
  const later = (): void => void startUp(s).catch((e: unknown) => s.log.error(`start-up: ${e instanceof Error ? e.message : String(e)}`));
  if (!whenTrusted(s.context, s.log, later)) return;
  const { enabled, autoConnect, connection, simulator } = s.settings.current;
  if (enabled && simulator.autoStart) {
    // the demo: simulated gateway, watchlist in view (one that cannot start, its port taken, falls back to the configured gateway)
    const started = await startSimulator(s, { quiet: true });
    await vscode.commands.executeCommand('ibWatchlist.focus');
    if (started) return;
  }
  if (enabled && s.context.workspaceState.get(SIMULATOR_IN_USE_KEY) === true) {
    // the window was reloaded (or reopened) while using the simulated gateway: it went with the extension host
    s.log.info('start-up: starting the simulated gateway again (it was in use when this window last closed)');
    if (await startSimulator(s, { quiet: true })) return;
  }
  if (enabled && autoConnect && connection) {
    await connectNow(s, { waitForGateway: true, fromStartUp: true });
  }
}

/**
 * IB turned on again (IB: Enable IB, the Settings editor, another window) connects as start-up
 * does while jax.ib.autoConnect is on: the switch is the person's, so is the wish to connect.
 */
export function connectWhenEnabled(s: Services): vscode.Disposable {
  let was = s.connection.status.phase;
  return s.connection.onStatus((st) => {
    const enabledAgain = was === 'disabled' && st.phase !== 'disabled';
    was = st.phase;
    if (!enabledAgain || !vscode.workspace.isTrusted || !s.settings.current.autoConnect || st.phase !== 'disconnected') return;
    s.log.info('IB was enabled again: connecting (jax.ib.autoConnect is on)');
    void connectNow(s, { waitForGateway: true });
  });
}
