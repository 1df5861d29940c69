import * as vscode from 'vscode';
import { requireEnabled } from '../gate';
import { showError, showInfo } from '../notify';
import type { Services } from '../services';
import { symbolProblem, writeSetting } from '../settings';
import { pickSymbol, resolveSymbol } from '../symbol-picker';
import { contractKey, entryLabel, storedSymbol } from '../../ib/contracts/symbol-text';
import { symbolArg } from './args';
import { quickInputOpening } from '../quick-input-calm';

/** Writes the order to jax.ib.watchlist and shows it at once. */
export async function saveWatchlist(s: Services, symbols: string[], target?: vscode.ConfigurationTarget): Promise<void> {
  s.watchlist.setSymbols(symbols);
  await writeSetting('watchlist', symbols, target);
}

/**
 * Adds a symbol (checked with IB first when connected, so an unknown one is
 * refused with IB's reason). Returns the new list, or undefined when nothing changed.
 */
export async function addToWatchlist(s: Services, arg?: unknown): Promise<string[] | undefined> {
  if (!requireEnabled(s, () => vscode.commands.executeCommand('ibGateway.addToWatchlist', arg))) return undefined;
  const given = symbolArg(arg);
  if (arg !== undefined && given === undefined) {
    showError(s.log, new Error('Add to Watchlist expects a symbol text such as "AAPL".'));
    return undefined;
  }
  const ready = () => s.connection.status.phase === 'ready';
  let text = given ?? (await pickSymbol(s.contracts, ready, 'IB: Add to Watchlist', [], () => s.market.now()));
  if (text === undefined) return undefined;
  text = storedSymbol(text);
  const why = symbolProblem(text);
  if (why) {
    showError(s.log, new Error(`The symbol ${why}; nothing was added.`));
    return undefined;
  }
  let conId: number | undefined;
  if (ready()) {
    try {
      const resolved = await resolveSymbol(s.contracts, text, given === undefined);
      if (!resolved) return undefined;
      text = storedSymbol(resolved.text);
      conId = resolved.contract.conId;
    } catch (e) {
      showError(s.log, e);
      return undefined;
    }
  }
  const list = [...s.watchlist.symbols];
  // one row per contract, however it is spelled
  const key = contractKey(text);
  const same = list.find(
    (x) => x === text || (key !== undefined && contractKey(x) === key) || (conId !== undefined && s.watchlist.row(x)?.quote?.conId === conId),
  );
  if (same) {
    // named as its row names it ("ES Dec 2026", not "ES 202612 FUT@CME")
    const row = entryLabel(same);
    showInfo(s.log, same === text ? `${row} is already in the watchlist.` : `${text} is already in the watchlist, as ${row}.`);
    return list;
  }
  list.push(text);
  await saveWatchlist(s, list);
  s.log.info(`watchlist: added ${text}`);
  return list;
}

/** The rows selected in the watchlist view. */
function selectedSymbols(s: Services): string[] {
  return s.treeView.selection
    .map((r) => (r as { symbol?: unknown }).symbol)
    .filter((x): x is string => typeof x === 'string' && s.watchlist.symbols.includes(x));
}

/** The Delete key and the palette's Move Up / Move Down pass { selected: true }: they act on the selected rows. */
function wantsSelection(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && (arg as { selected?: unknown }).selected === true;
}

/**
 * Removes a symbol; with `{ selected: true }` (a key) the selected rows; from a
 * row's menu or inline button with several rows selected (VS Code passes them
 * all as `rows`), those rows, as the Explorer does.
 */
export async function removeFromWatchlist(s: Services, arg?: unknown, rows?: unknown): Promise<string[] | undefined> {
  const many = Array.isArray(rows) && rows.length > 1 ? rows.map(symbolArg).filter((x): x is string => x !== undefined && s.watchlist.symbols.includes(x)) : [];
  if (many.length > 1 || wantsSelection(arg)) {
    const gone = many.length > 1 ? many : selectedSymbols(s);
    if (!gone.length) return undefined;
    const before = s.watchlist.symbols;
    const list = before.filter((x) => !gone.includes(x));
    await saveWatchlist(s, list);
    // a key acts on the selected rows, which need not be the row the keyboard is on (VS Code gives an extension no
    // focused row): say which went, and offer them back
    removals.set(s, { before: [...before] });
    showInfo(s.log, `Removed ${gone.join(', ')} from the watchlist.`, { Undo: () => vscode.commands.executeCommand('ibGateway.undoRemoveFromWatchlist') });
    // as in the Explorer: the row that took the topmost removed row's place is selected, so Delete goes on down the list
    const at = Math.min(Math.min(...gone.map((g) => before.indexOf(g)).filter((i) => i >= 0)), list.length - 1);
    const next = at >= 0 ? s.watchlist.row(list[at]) : undefined;
    if (next && s.treeView.visible) await Promise.resolve(s.treeView.reveal(next, { select: true, focus: true })).catch(() => undefined);
    return list;
  }
  let text = symbolArg(arg);
  if (text === undefined) {
    if (!s.watchlist.symbols.length) {
      showInfo(s.log, 'The watchlist is empty.');
      return [];
    }
    await quickInputOpening();
    text = await vscode.window.showQuickPick([...s.watchlist.symbols], { title: 'IB: Remove from Watchlist', placeHolder: 'Which symbol?' });
    if (text === undefined) return undefined;
  }
  const list = s.watchlist.symbols.filter((x) => x !== text);
  if (list.length === s.watchlist.symbols.length) {
    showError(s.log, new Error(`${text} is not in the watchlist.`));
    return undefined;
  }
  await saveWatchlist(s, list);
  s.log.info(`watchlist: removed ${text}`);
  return list;
}

/** The last removal by key, for its Undo: the list before it. */
const removals = new WeakMap<Services, { before: string[] }>();

/** Puts back the rows the last Delete removed, where they were (once; a later change to the list is kept). */
export async function undoRemoval(s: Services): Promise<string[] | undefined> {
  const r = removals.get(s);
  removals.delete(s);
  if (!r) return undefined;
  const now = s.watchlist.symbols;
  // each missing row back at its old index, in order: the list as it was when nothing else changed since
  const list = [...now];
  r.before.forEach((x, i) => !list.includes(x) && list.splice(Math.min(i, list.length), 0, x));
  await saveWatchlist(s, list);
  s.log.info(`watchlist: put back ${r.before.filter((x) => !now.includes(x)).join(', ')}`);
  return list;
}

export async function moveInWatchlist(s: Services, arg: unknown, by: -1 | 1): Promise<string[] | undefined> {
  // from the palette (no argument) or a key: the selected row
  const text = symbolArg(arg) ?? (arg === undefined || wantsSelection(arg) ? selectedSymbols(s)[0] : undefined);
  if (text === undefined && (arg === undefined || wantsSelection(arg))) {
    showInfo(s.log, 'Select a row in the watchlist first, then move it.');
    return undefined;
  }
  const list = [...s.watchlist.symbols];
  const i = text === undefined ? -1 : list.indexOf(text);
  const j = i + by;
  if (i < 0 || j < 0 || j >= list.length) return undefined;
  [list[i], list[j]] = [list[j], list[i]];
  await saveWatchlist(s, list);
  // the moved row stays selected, so the next Move Up moves it again
  const row = s.watchlist.row(list[j]);
  if (row && s.treeView.visible) await Promise.resolve(s.treeView.reveal(row, { select: true, focus: false })).catch(() => undefined);
  return list;
}

export function refreshWatchlist(s: Services): string[] {
  s.watchlist.refresh();
  s.tree.refresh();
  return [...s.watchlist.symbols];
}
