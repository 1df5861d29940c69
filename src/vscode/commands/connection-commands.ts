import * as vscode from 'vscode';
import { movedToPort } from '../../ib/connection/notices';
import type { ConnectionStatus } from '../../ib/types';
import { errorCode, errorText } from '../error-text';
import { requireEnabled, requireValidSettings } from '../gate';
import { showError, showInfo, showWarning } from '../notify';
import type { Services } from '../services';
import { writeSetting } from '../settings';
import { rememberedClientId } from '../client-id-memory';
import { confirmHost } from '../trust';
import { startSimulator } from './simulator-commands';
import { quickInputOpening } from '../quick-input-calm';

/**
 * Connects to the effective gateway; says what went wrong (with what to do)
 * when it fails. With waitForGateway, a gateway that does not answer is tried
 * again in the background until it does.
 */
export async function connectNow(s: Services, options: { waitForGateway?: boolean; resume?: () => unknown; fromStartUp?: boolean } = {}): Promise<boolean> {
  s.settings.read();
  if (!requireEnabled(s, options.resume) || !requireValidSettings(s)) return false;
  const target = s.settings.effective();
  if (!target.simulated && !(await confirmHost(s.context.globalState, target.host, target.port))) {
    s.log.info(`not connecting: ${target.host} is on another computer and was not confirmed`);
    return false;
  }
  try {
    await s.connection.updateSettings(target);
    const remembered = rememberedClientId(s.context.workspaceState, target);
    if (remembered !== undefined && s.connection.status.phase !== 'ready' && s.connection.status.clientId !== remembered) {
      s.log.info(`using client id ${remembered}, which Use Next Client Id chose in this workspace when ${target.clientId} was in use`);
      s.connection.preferClientId(remembered);
    }
    if (s.connection.status.phase !== 'ready') await s.connection.connect();
    const st = s.connection.status;
    s.log.info(`connected to ${st.host}:${st.port} as client ${st.clientId}${st.simulated ? ' (SIMULATED)' : ''}`);
    return true;
  } catch (e) {
    // at start-up a client id in use is tried again too: a reloaded window's old session may not have ended yet
    const keepOn = options.waitForGateway && s.connection.keepTrying({ anyFailure: options.fromStartUp === true && errorCode(e) === 326 });
    if (!keepOn) reportConnectError(s, e);
    // at start-up, once this person has been connected before: VS Code opened before the gateway, as every day
    // (the status bar counts down, the watchlist says it is waiting); the first time, said with the way out
    else if (options.fromStartUp && s.context.globalState.get(CONNECTED_BEFORE_KEY) === true) {
      s.log.info(`start-up: ${errorText(e)} Trying again in the background.`);
      if (errorCode(e) === 326) warnIfClashLasts(s);
    } else reportWaiting(s, e);
    return false;
  }
}

/** Set once a connection to a gateway (not the simulated one) was ready: start-up then waits for it quietly. */
export const CONNECTED_BEFORE_KEY = 'ibGateway.connectedBefore';

/**
 * At start-up, a client id still in use after one more try: a reloaded window's old session ends
 * within a second, so another program holds it (a VS Code window, a jax service). Said once.
 */
function warnIfClashLasts(s: Services): void {
  const watch = s.connection.onStatus((st) => {
    if (st.phase !== 'reconnecting') return void watch.dispose();
    if (st.error?.code !== 326 || (st.attempt ?? 0) < 2) return;
    watch.dispose();
    showWarning(
      s.log,
      `Client id ${st.clientId} is in use at ${st.host}:${st.port}: another VS Code window or program (a jax service?) is connected with it. Trying again in the background.`,
      { 'Use Next Client Id': () => vscode.commands.executeCommand('ibGateway.useNextClientId'), 'Show Log': () => s.log.show(true) },
    );
  });
  s.context.subscriptions.push(watch);
}

/** A gateway not up yet, tried again in the background: said once, with the way out. */
function reportWaiting(s: Services, e: unknown): void {
  const actions: Record<string, () => unknown> = {};
  if (errorCode(e) === 326) actions['Use Next Client Id'] = () => vscode.commands.executeCommand('ibGateway.useNextClientId');
  else if (!s.simulator.running) actions['Start Simulated Gateway'] = () => startSimulator(s);
  actions['Stop Trying'] = () => disconnectCommand(s);
  actions['Show Log'] = () => s.log.show(true);
  // short, as a first run without IB sees it: the set-up steps go to the log (Show Log) and the status bar's hover
  s.log.info(errorText(e));
  const st = s.connection.status;
  const where = st.host && st.port ? ` at ${st.host}:${st.port}` : '';
  const waiting = errorCode(e) === 502 ? `No IB Gateway/TWS answers${where} yet.` : errorText(e);
  showWarning(s.log, `${waiting} Trying again in the background (the status bar counts down).`, actions);
}

/** A failed connection, with the buttons that fix it. */
export function reportConnectError(s: Services, e: unknown): void {
  const code = errorCode(e);
  const actions: Record<string, () => unknown> = {};
  if (code === 326) {
    actions['Use Next Client Id'] = () => vscode.commands.executeCommand('ibGateway.useNextClientId');
  }
  if (code === 502 && !s.simulator.running) actions['Start Simulated Gateway'] = () => startSimulator(s);
  actions['Open Settings'] = () => vscode.commands.executeCommand('workbench.action.openSettings', 'jax.ib');
  actions['Show Log'] = () => s.log.show(true);
  showError(s.log, e, actions);
}

/** The button on a client id clash (326): the next free client id, kept until the connection settings change. */
export async function useNextClientIdCommand(s: Services): Promise<ConnectionStatus> {
  if (!requireEnabled(s)) return s.connection.status;
  try {
    await s.connection.useNextClientId();
    showInfo(s.log, `Connected as client id ${s.connection.status.clientId}.`);
  } catch (err) {
    showError(s.log, err);
  }
  return s.connection.status;
}

/**
 * True once the connection is ready, connecting first when needed. After a
 * person's Disconnect nothing connects on its own: the command is refused
 * with a Connect button (the client id may have been freed for another program).
 */
export async function requireReady(s: Services, resume?: () => unknown): Promise<boolean> {
  if (!requireEnabled(s, resume)) return false;
  if (s.connection.status.phase === 'ready') return true;
  if (s.connection.disconnectedOnRequest) {
    const { host, port } = s.connection.status;
    s.log.info('a command was refused: IB was disconnected on request');
    // the simulated gateway too, when it is not the one there (a person who just stopped it may want it back)
    const choices = s.connection.status.simulated ? ['Connect'] : ['Connect', 'Start Simulated Gateway'];
    void vscode.window.showWarningMessage(`IB is disconnected and stays so until you connect. Connect to ${host}:${port}?`, ...choices).then((picked) => {
      if (picked === 'Connect') void vscode.commands.executeCommand('ibGateway.connect');
      else if (picked === 'Start Simulated Gateway') void vscode.commands.executeCommand('ibGateway.startSimulator');
    });
    return false;
  }
  if (s.connection.status.phase === 'reconnecting') {
    // the background retries go on; an attempt of its own would end them in 'failed' if the gateway is still away
    const { host, port, attempt } = s.connection.status;
    showWarning(
      s.log,
      `IB is not connected yet: trying ${host}:${port} again in the background${attempt ? ` (attempt ${attempt})` : ''}. Run the command again once connected.`,
    );
    return false;
  }
  return connectNow(s);
}

/** IB: Connect. A gateway that does not answer is tried again in the background with the backoff, and it says so. */
export async function connectCommand(s: Services): Promise<ConnectionStatus> {
  const was = s.connection.status;
  const done = await connectNow(s, { waitForGateway: true, resume: () => vscode.commands.executeCommand('ibGateway.connect') });
  const now = s.connection.status;
  // asked while already connected there: say so, rather than nothing at all
  if (done && was.phase === 'ready' && now.phase === 'ready' && was.host === now.host && was.port === now.port && was.clientId === now.clientId) {
    const line = `already connected to ${now.host}:${now.port} as client ${now.clientId}`;
    s.log.info(line);
    void vscode.window.showInformationMessage(`IB: ${line}.`);
  }
  return now;
}

export async function disconnectCommand(s: Services): Promise<ConnectionStatus> {
  if (!requireEnabled(s)) return s.connection.status;
  await s.connection.disconnect();
  s.log.info('disconnected on request');
  return s.connection.status;
}

export async function enableCommand(): Promise<void> {
  await writeSetting('enabled', true);
}

interface MenuItem extends vscode.QuickPickItem {
  run: () => unknown;
}

/** The status bar's click: the connection actions that make sense now. */
export async function showMenuCommand(s: Services): Promise<void> {
  const phase = s.connection.status.phase;
  const items: MenuItem[] = [];
  if (phase === 'disabled') items.push({ label: 'Enable IB', iconPath: new vscode.ThemeIcon('check'), run: () => enableCommand() });
  // failed on it, or reconnecting while the gateway still holds the id (tried again with the backoff)
  const clash = (phase === 'failed' || phase === 'reconnecting') && s.connection.status.error?.code === 326;
  if (clash)
    items.push({
      label: 'Use Next Client Id',
      iconPath: new vscode.ThemeIcon('arrow-right'),
      description: `client id ${s.connection.status.clientId} is in use`,
      run: () => useNextClientIdCommand(s),
    });
  // TWS moved its API to another port (1300): the one it named
  const moved = phase === 'failed' && s.connection.status.error?.code === 1300 ? movedToPort(s.connection.status.error.raw) : undefined;
  if (moved)
    items.push({
      label: `Use Port ${moved}`,
      iconPath: new vscode.ThemeIcon('arrow-right'),
      description: 'IB Gateway/TWS moved its API there',
      run: () => writeSetting('port', moved),
    });
  if (phase !== 'ready' && phase !== 'disabled')
    items.push({
      label: 'Connect',
      iconPath: new vscode.ThemeIcon('plug'),
      description: `${s.settings.effective().host}:${s.settings.effective().port}`,
      run: () => connectCommand(s),
    });
  if (phase !== 'disconnected' && phase !== 'disabled')
    items.push({ label: 'Disconnect', iconPath: new vscode.ThemeIcon('debug-disconnect'), run: () => disconnectCommand(s) });
  items.push({ label: 'Show Log', iconPath: new vscode.ThemeIcon('output'), run: () => s.log.show() });
  items.push({
    label: 'Open Settings',
    iconPath: new vscode.ThemeIcon('settings-gear'),
    run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'jax.ib'),
  });
  if (!s.simulator.running) items.push({ label: 'Start Simulated Gateway', iconPath: new vscode.ThemeIcon('beaker'), run: () => startSimulator(s) });
  else
    items.push({
      label: 'Stop Simulated Gateway',
      iconPath: new vscode.ThemeIcon('debug-stop'),
      description: `${s.simulator.address?.host}:${s.simulator.address?.port}`,
      run: () => vscode.commands.executeCommand('ibGateway.stopSimulator'),
    });
  await quickInputOpening();
  const picked = await vscode.window.showQuickPick(items, { title: 'IB Gateway', placeHolder: s.status.text.replace(/\$\([^)]*\)\s*/g, '') });
  if (picked) await picked.run();
}
