/**
 * What Import jax Config asks beyond the "ib" block: a host name that only
 * exists inside containers, and the config's symbols for the watchlist.
 */
import * as vscode from 'vscode';
import { openStep, pickStep } from './multi-step';
import type { Services } from './services';
import { symbolProblem, targetFor } from './settings';
import { saveWatchlist } from './commands/watchlist-commands';
import { contractKey, storedSymbol } from '../ib/contracts/symbol-text';
import { showWhenCalm } from './quick-input-calm';
import { isLoopbackHost } from '../ib/config';

/** Names Docker and Podman give the host machine inside a container; they do not resolve on the host itself. */
const CONTAINER_HOST_NAMES = ['host.docker.internal', 'gateway.docker.internal', 'host.containers.internal'];

/**
 * The host to export over a file's: a container-only name there stays when the settings say this machine (Import
 * offered 127.0.0.1 for it: right for the editor, wrong for the jax services in containers that read the file).
 */
export function hostToExport(fileHost: unknown, settingsHost: string): string {
  return typeof fileHost === 'string' && CONTAINER_HOST_NAMES.includes(fileHost.toLowerCase()) && isLoopbackHost(settingsHost) ? fileHost : settingsHost;
}

/**
 * The host to import: a container-only name is explained and 127.0.0.1 is
 * offered in its place (focused). Undefined when the person cancels.
 */
export async function hostToImport(host: string, file: string): Promise<string | undefined> {
  if (!CONTAINER_HOST_NAMES.includes(host.toLowerCase())) return host;
  const local = { label: 'Use 127.0.0.1', description: 'IB Gateway or TWS on this machine (recommended)', host: '127.0.0.1' };
  const keep = { label: `Keep ${host}`, description: 'only if VS Code itself runs inside a container', host };
  const picked = await pickStep({
    title: `${file}: "${host}" is a name that exists only inside containers`,
    placeholder: `Docker gives containers "${host}" for the machine they run on; here, on that machine, it does not resolve. Use 127.0.0.1?`,
    items: [local, keep],
    active: local,
    back: false,
  });
  return picked && typeof picked === 'object' ? picked.host : undefined;
}

/** The config's top-level "symbols" list (strings that make valid watchlist entries), or []. */
export function configSymbols(text: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const list = typeof doc === 'object' && doc !== null ? (doc as { symbols?: unknown }).symbols : undefined;
  if (!Array.isArray(list)) return [];
  return [...new Set(list.filter((x): x is string => typeof x === 'string' && !symbolProblem(x)).map(storedSymbol))].slice(0, 200);
}

/** Offers the config's symbols that are not in the watchlist yet (all ticked); adds the ones kept. Returns those added. */
export async function offerSymbols(s: Services, symbols: readonly string[], file: string): Promise<string[]> {
  const fresh = symbols.filter((x) => !s.watchlist.symbols.some((w) => w === x || (contractKey(w) ?? w) === (contractKey(x) ?? x)));
  if (!fresh.length) return [];
  const chosen = await new Promise<string[] | undefined>((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
    qp.title = `${file} lists ${fresh.length} symbol${fresh.length === 1 ? '' : 's'}: add to the watchlist?`;
    qp.placeholder = 'Untick the ones you do not want; Enter adds, Escape adds none';
    qp.canSelectMany = true;
    qp.items = fresh.map((label) => ({ label }));
    qp.selectedItems = qp.items;
    let done = false;
    qp.onDidAccept(() => {
      done = true;
      resolve(qp.selectedItems.map((i) => i.label));
      qp.hide();
    });
    qp.onDidHide(() => {
      if (openStep.current === qp) openStep.current = undefined;
      if (!done) resolve(undefined);
      qp.dispose();
    });
    void showWhenCalm(
      qp,
      () => done,
      () => (openStep.current = qp),
    );
  });
  if (!chosen?.length) return [];
  // the project's symbols go where Import put its connection, this workspace, not into every window's list
  const where = targetFor('watchlist');
  await saveWatchlist(s, [...s.watchlist.symbols, ...chosen], where === vscode.ConfigurationTarget.Global ? vscode.ConfigurationTarget.Workspace : where);
  s.log.info(`watchlist: added ${chosen.join(', ')} from ${file}`);
  return chosen;
}
