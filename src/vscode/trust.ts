/**
 * What the extension does on its own, and where it connects, is the user's
 * choice, not a repository's:
 * - the connection settings are restricted in an untrusted workspace
 *   (package.json capabilities.untrustedWorkspaces.restrictedConfigurations),
 *   so VS Code ignores a folder's values for them there;
 * - nothing connects or starts by itself until the workspace is trusted;
 * - a gateway that is not on this computer is confirmed once per host, in a
 *   modal dialog, and remembered in the user's global state.
 */
import * as vscode from 'vscode';
import { isLoopbackHost } from '../ib/config';

const APPROVED_HOSTS = 'ibGateway.approvedHosts';

function approved(memento: vscode.Memento): string[] {
  const list = memento.get<unknown>(APPROVED_HOSTS);
  return Array.isArray(list) ? list.filter((h): h is string => typeof h === 'string') : [];
}

function key(host: string): string {
  return host.trim().toLowerCase();
}

/** True for this computer's addresses and for hosts the user already confirmed. */
export function hostAllowed(memento: vscode.Memento, host: string): boolean {
  return isLoopbackHost(host) || approved(memento).includes(key(host));
}

/** Asks once per host (modal) before the first connection to a gateway on another computer. */
export async function confirmHost(memento: vscode.Memento, host: string, port: number): Promise<boolean> {
  if (hostAllowed(memento, host)) return true;
  const connect = 'Connect';
  const picked = await askModal(
    `Connect to IB Gateway/TWS on another computer (${host}:${port})?`,
    {
      modal: true,
      detail:
        'The TWS API protocol is unencrypted: quotes, symbols and account ids travel in clear text, and that computer sees your watchlist. ' +
        'Only connect to a host you set up yourself (an SSH tunnel to 127.0.0.1 is safer). This host is remembered once you connect.',
    },
    connect,
  );
  if (picked !== connect) return false;
  await memento.update(APPROVED_HOSTS, [...approved(memento), key(host)]);
  return true;
}

/** A modal question; a dialog that cannot be shown (VS Code refuses them while extension tests run) is a no. */
export async function askModal(message: string, options: vscode.MessageOptions, ...items: string[]): Promise<string | undefined> {
  try {
    return await vscode.window.showWarningMessage(message, { ...options, modal: true }, ...items);
  } catch {
    return undefined;
  }
}

let waiting: vscode.Disposable | undefined;

/** True in a trusted workspace; else false, and `start` runs once the user trusts it. */
export function whenTrusted(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, start: () => void): boolean {
  if (vscode.workspace.isTrusted) return true;
  if (waiting) return false;
  log.info(
    'Restricted Mode: the workspace is not trusted, so IB does not connect or start a simulated gateway by itself; its connection settings come from your user settings only.',
  );
  const sub = vscode.workspace.onDidGrantWorkspaceTrust(() => {
    sub.dispose();
    waiting = undefined;
    log.info('the workspace is trusted now: starting up');
    start();
  });
  waiting = sub;
  context.subscriptions.push({
    dispose: () => {
      sub.dispose();
      waiting = undefined;
    },
  });
  return false;
}
