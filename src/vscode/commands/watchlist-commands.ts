import * as vscode from 'vscode';
import { requireEnabled } from '../gate';
import { showError, showInfo } from '../notify';
import type { Services } from '../services';
import { symbolProblem, writeSetting } from '../settings';
import { resolveSymbol } from '../symbol-picker';
import { pickSymbolFor } from './pick-symbol';
import { contractKey, entryLabel, storedSymbol } from '../../ib/contracts/symbol-text';
import { parseSymbol } from '../../ib/contracts/symbol';
import { continuousError, expiredError, hasExpired } from '../../ib/contracts/expired';
import { symbolArg } from './args';
import { quickInputOpening } from '../quick-input-calm';

/** Writes the order to jax.ib.watchlist and shows it at once. */
export async function saveWatchlist(s: Services, symbols: string[], target?: vscode.ConfigurationTarget): Promise<void> {
  s.watchlist.setSymbols(symbols);
  await writeSetting('watchlist', symbols, target);
}

/** The watchlist's entry for a contract, however it is spelled ("ESZ6@CME" for "ES 202612 FUT@CME"; by its contract id once resolved). */
export function listedAs(s: Services, text: string, conId?: number): string | undefined {
  const key = contractKey(text);
  return s.watchlist.symbols.find(
    (x) => x === text || (key !== undefined && contractKey(x) === key) || (conId !== undefined && s.watchlist.row(x)?.quote?.conId === conId),
  );
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
  let text = given ?? (await pickSymbolFor(s, 'IB: Add to Watchlist'));
  if (text === undefined) return undefined;
  text = storedSymbol(text);
  const why = symbolProblem(text);
  if (why) {
    showError(s.log, new Error(`The symbol ${why}; nothing was added.`));
    return undefined;
  }
  // a row that could never show a price (its contract id, its front month's, would also pass for that month's row)
  if (parseSymbol(text).secType === 'CONTFUT') {
    showError(s.log, continuousError({ symbol: parseSymbol(text).symbol ?? text }, 'Open its chart (IB: Open Chart) for its bars across the rolls'));
    return undefined;
  }
  let conId: number | undefined;
  if (ready()) {
    try {
      const resolved = await resolveSymbol(s.contracts, text, given === undefined);
      if (!resolved) return undefined;
      // an expired month would be a row that never quotes: refused, naming the month to watch instead
      const now = await s.market.now();
      if (hasExpired(resolved.contract, now)) {
        showError(s.log, await expiredError(s.contracts, resolved.contract, now));
        return undefined;
      }
      text = storedSymbol(resolved.text);
      conId = resolved.contract.conId;
    } catch (e) {
      showError(s.log, e);
      return undefined;
    }
  }
  const list = [...s.watchlist.symbols];
  const same = listedAs(s, text, conId);
  if (same) {
    // named as its row names it ("ES Dec 2026", not "ES 202612 FUT@CME")
    const row = entryLabel(same);
    showInfo(s.log, same === text ? `${row} is already in the watchlist.` : `${text} is already in the watchlist, as ${row}.`);
    return list;
  }
  list.push(text);
  await saveWatchlist(s, list);
  s.log.info(`watchlist: added ${text}`);
  // the new row, at the bottom, is shown and selected (a screen reader hears nothing else of the add)
  const row = s.watchlist.row(text);
  if (row && s.treeView.visible) await Promise.resolve(s.treeView.reveal(row, { select: true, focus: false })).catch(() => undefined);
  return list;
}

/** The rows selected in the watchlist view. */
function selectedSymbols(s: Services): string[] {
  return s.treeView.selection
    .map((r) => (r as { symbol?: unknown }).symbol)
    .filter((x): x is string => typeof x === 'string' && s.watchlist.symbols.includes(x));
}

/**
 * The rows a key (Delete, Alt+Up/Down) acts on: the row the keyboard is on, or the rows selected when several are.
 * VS Code tells an extension a tree's selection, not the row its keyboard focus is on (arrows move the focus only),
 * so a key pressed after arrowing away from the selected row acted on the selected row, not the one the person
 * (and their screen reader) was on. The list's own commands make the focused row the selection first.
 */
async function keyedRows(s: Services): Promise<string[]> {
  const before = selectedSymbols(s);
  if (before.length > 1) return before;
  // the list's own Toggle Selection (Ctrl+Shift+Enter) on the focused row tells which it is: it leaves the selection
  // (it was the selected row) or joins it (the keyboard moved on)
  const toggle = async (): Promise<string[]> => {
    const changed = new Promise<void>((resolve) => {
      const done = () => (clearTimeout(timer), sub.dispose(), resolve());
      const sub = s.treeView.onDidChangeSelection(done);
      const timer = setTimeout(done, KEYED_ROW_MS);
    });
    await vscode.commands.executeCommand('list.toggleSelection');
    await changed;
    return selectedSymbols(s);
  };
  const after = await toggle();
  const left = before.filter((x) => !after.includes(x));
  const joined = after.filter((x) => !before.includes(x));
  // the selection as it was (a move at the list's end, which moves nothing, leaves no second row selected)
  if (left.length || joined.length) await toggle();
  return left.length ? left : joined.length ? joined : before;
}

let keyTurn: Promise<unknown> = Promise.resolve();

/** A key held down repeats: each press's command runs once the one before has finished (each asks the window first). */
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
  const next = keyTurn.then(run, run);
  keyTurn = next.catch(() => undefined);
  return next;
}

/** How long the focused row may take to come back as the selection (a turn of the window, then the extension host's). */
const KEYED_ROW_MS = 500;

/** The Delete key and Alt+Up/Down pass { selected: true }: they act on the row the keyboard is on (keyedRows). */
function wantsSelection(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && (arg as { selected?: unknown }).selected === true;
}

/**
 * Removes a symbol; with `{ selected: true }` (a key) the row the keyboard is on; from a row's menu or inline button
 * with several rows selected (VS Code passes them all as `rows`), those rows, as the Explorer does. Every removal
 * says which rows went, with an Undo, and selects the row that took their place.
 */
export function removeFromWatchlist(s: Services, arg?: unknown, rows?: unknown): Promise<string[] | undefined> {
  return wantsSelection(arg) ? oneAtATime(() => removeRows(s, arg, rows)) : removeRows(s, arg, rows);
}

async function removeRows(s: Services, arg?: unknown, rows?: unknown): Promise<string[] | undefined> {
  const many = Array.isArray(rows) && rows.length > 1 ? rows.map(symbolArg).filter((x): x is string => x !== undefined && s.watchlist.symbols.includes(x)) : [];
  // a row (its menu, its button) or a key: the keyboard is in the list, and stays there on the next row
  const fromTree = typeof arg === 'object' && arg !== null;
  let gone = many.length > 1 ? many : wantsSelection(arg) ? await keyedRows(s) : [];
  if (!gone.length && wantsSelection(arg)) return undefined;
  if (!gone.length) {
    let text = symbolArg(arg);
    if (text === undefined) {
      if (!s.watchlist.symbols.length) {
        showInfo(s.log, 'The watchlist is empty.');
        return [];
      }
      await quickInputOpening();
      // named as the rows name them ("ES Dec 2026"), the stored text beside where it differs
      const items = s.watchlist.symbols.map((x) => ({ label: entryLabel(x), description: entryLabel(x) === x ? undefined : x, symbol: x }));
      text = (await vscode.window.showQuickPick(items, { title: 'IB: Remove from Watchlist', placeHolder: 'Which symbol?', matchOnDescription: true }))?.symbol;
      if (text === undefined) return undefined;
    }
    if (!s.watchlist.symbols.includes(text)) {
      showError(s.log, new Error(`${text} is not in the watchlist.`));
      return undefined;
    }
    gone = [text];
  }
  const before = s.watchlist.symbols;
  const list = before.filter((x) => !gone.includes(x));
  await saveWatchlist(s, list);
  s.log.info(`watchlist: removed ${gone.join(', ')}`);
  // say which went, and offer them back
  removals.set(s, { before: [...before] });
  showInfo(s.log, `Removed ${gone.map(entryLabel).join(', ')} from the watchlist.`, {
    Undo: () => vscode.commands.executeCommand('ibGateway.undoRemoveFromWatchlist'),
  });
  // as in the Explorer: the row that took the topmost removed row's place is selected, so Delete goes on down the
  // list; the keyboard's focus moves to it where it was in the list (a key, a row's menu)
  const at = Math.min(Math.min(...gone.map((g) => before.indexOf(g)).filter((i) => i >= 0)), list.length - 1);
  const next = at >= 0 ? s.watchlist.row(list[at]) : undefined;
  if (next && s.treeView.visible) await Promise.resolve(s.treeView.reveal(next, { select: true, focus: fromTree })).catch(() => undefined);
  return list;
}

/** The last removal, for its Undo: the list before it. */
const removals = new WeakMap<Services, { before: string[] }>();

/** Puts back the rows the last removal took, where they were (once; a later change to the list is kept). */
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

export function moveInWatchlist(s: Services, arg: unknown, by: -1 | 1): Promise<string[] | undefined> {
  return wantsSelection(arg) ? oneAtATime(() => moveRow(s, arg, by)) : moveRow(s, arg, by);
}

async function moveRow(s: Services, arg: unknown, by: -1 | 1): Promise<string[] | undefined> {
  // from the palette (no argument): the selected row; from a key, the row the keyboard is on
  const text = symbolArg(arg) ?? (arg === undefined ? selectedSymbols(s)[0] : wantsSelection(arg) ? (await keyedRows(s))[0] : undefined);
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

/**
 * IB: Go to Watchlist Row (Ctrl+Alt+F in the watchlist while quotes stream): type to find a row, Enter selects it
 * and puts the keyboard on it. VS Code's own find box in a tree loses the keyboard each time the rows are drawn
 * again, several times a second while prices stream; this picker does not.
 */
export async function goToWatchlistRow(s: Services): Promise<string | undefined> {
  if (!s.watchlist.symbols.length) {
    showInfo(s.log, 'The watchlist is empty.');
    return undefined;
  }
  await quickInputOpening();
  const items = s.watchlist.symbols.map((x) => ({ label: entryLabel(x), description: entryLabel(x) === x ? undefined : x, symbol: x }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'IB: Go to Watchlist Row',
    placeHolder: 'Type to find a row; Enter selects it',
    matchOnDescription: true,
  });
  const row = picked ? s.watchlist.row(picked.symbol) : undefined;
  if (!picked || !row) return undefined;
  await vscode.commands.executeCommand('ibWatchlist.focus');
  await Promise.resolve(s.treeView.reveal(row, { select: true, focus: true })).catch(() => undefined);
  return picked.symbol;
}

export function refreshWatchlist(s: Services): string[] {
  s.watchlist.refresh();
  s.tree.refresh();
  return [...s.watchlist.symbols];
}
