import * as vscode from 'vscode';
import { AmbiguousSymbolError, type ContractService } from '../ib/contracts';
import { IbError } from '../ib/errors';
import type { ResolvedContract, SymbolMatch } from '../ib/types';
import { errorText } from './error-text';
import { symbolProblem } from './settings';
import { continuousItem, futureItems, SYMBOL_PLACEHOLDER } from './symbol-search';
import { entryLabel, exactSpecs, specForMatch } from '../ib/contracts/symbol-text';
import { searchWithMonths } from '../ib/contracts/search-months';
import { matchDescription, NOT_SHOWN, shownFirst } from '../ib/contracts/match-text';
import { quickInputOpening, showWhenCalm } from './quick-input-calm';

export interface SymbolItem extends vscode.QuickPickItem {
  spec: string;
  /** The exact contract this row names (a futures month): picking it resolves to its conId. */
  contract?: ResolvedContract;
  /** A futures month in its front month's roll week (symbol-search.ts). */
  roll?: { group: number; next: boolean };
}

const SEARCH_DELAY_MS = 250;

/**
 * The text as typed, last: its label is not the text, so VS Code's sorting by
 * label never puts it above a real match ("Tesla" lists TSLA first).
 */
function typedItem(text: string): SymbolItem {
  return { label: 'as typed', iconPath: new vscode.ThemeIcon('edit'), description: text, spec: text, alwaysShow: true };
}

function matchItem(m: SymbolMatch, all: readonly SymbolMatch[]): SymbolItem {
  return { label: m.symbol, description: matchDescription(m), detail: m.description, spec: specForMatch(m, all), alwaysShow: true };
}

/** The picker open now (tests type into it as a person does). */
export const openPicker: { current?: vscode.QuickPick<SymbolItem> } = {};

/**
 * The rows for a search: one per futures month (front month first) instead of
 * IB's month-less FUT rows, then (`bars`: for a chart) its continuous future, then the other matches.
 */
async function searchItems(
  contracts: ContractService,
  text: string,
  signal: AbortSignal,
  now: (() => Promise<number>) | undefined,
  bars: boolean,
): Promise<SymbolItem[]> {
  const [{ matches, entries }, nowMs] = await Promise.all([searchWithMonths(contracts, text, signal), now?.().catch(() => undefined)]);
  const monthRows = (months: readonly ResolvedContract[]): SymbolItem[] => {
    const continuous = bars ? continuousItem(months) : undefined;
    return continuous ? [...futureItems(months, nowMs), continuous] : futureItems(months, nowMs);
  };
  const items = entries.flatMap((e) => (e.kind === 'months' ? monthRows(e.months) : [matchItem(e.match, matches)]));
  return shownFirst(items, (i) => !i.description?.endsWith(NOT_SHOWN));
}

/**
 * A QuickPick that searches symbols as the person types (debounced); the real
 * matches come first and the first is active (the watchlist's entry, when
 * exactly that was typed), the text as typed is offered last. `suggestions` (the watchlist) show before anything is typed.
 * Resolves to the chosen symbol text, or undefined when dismissed.
 */
export function pickSymbol(
  contracts: ContractService,
  canSearch: () => boolean,
  title: string,
  suggestions: readonly string[] = [],
  /** The gateway's clock (a futures month's roll week is on it); without it, the front month is pre-selected. */
  now?: () => Promise<number>,
  /** For bars (a chart, candles): a future's continuous future is offered after its months. */
  bars = false,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<SymbolItem>();
    qp.title = title;
    qp.placeholder = SYMBOL_PLACEHOLDER;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    // named as the watchlist names them ("ES Dec 2026"), the stored text beside where it differs
    const listed: SymbolItem[] = suggestions.map((x) => {
      const label = entryLabel(x);
      return { label, description: label === x ? 'watchlist' : `watchlist · ${x}`, spec: x };
    });
    qp.items = listed;
    let timer: NodeJS.Timeout | undefined;
    // the search of the text shown: an older one still waiting for its turn (IB takes one a second) is dropped
    let searching: AbortController | undefined;
    let seq = 0;
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      searching?.abort();
      if (openPicker.current === qp) openPicker.current = undefined;
      qp.dispose();
      resolve(value);
    };
    const show = (items: SymbolItem[], text: string) => {
      qp.items = items;
      // the watchlist's own entry for exactly what was typed stays the one Enter takes; else the first real match
      const typedText = text.toUpperCase();
      const own = listed.find((i) => i.spec.toUpperCase() === typedText || i.label.toUpperCase() === typedText);
      const first = own ?? items.find((i) => i.contract || (i.alwaysShow && !i.iconPath));
      // a front month in its roll week: the next month, where trading has moved
      const rolled = first?.roll && !first.roll.next ? items.find((i) => i.roll?.group === first.roll?.group && i.roll?.next) : undefined;
      if (first) qp.activeItems = [rolled ?? first];
    };
    qp.onDidChangeValue((value) => {
      const text = value.trim();
      const typed = text && !symbolProblem(text) ? [typedItem(text)] : [];
      qp.items = [...listed, ...typed];
      if (timer) clearTimeout(timer);
      searching?.abort();
      searching = undefined;
      if (!text || !canSearch() || symbolProblem(text)) return;
      const mine = ++seq;
      timer = setTimeout(() => {
        qp.busy = true;
        searching = new AbortController();
        searchItems(contracts, text, searching.signal, now, bars).then(
          (found) => {
            if (mine !== seq || done) return;
            qp.busy = false;
            show([...listed, ...found, ...typed], text);
          },
          (e: unknown) => {
            if (mine !== seq || done) return;
            qp.busy = false;
            qp.items = [
              ...listed,
              { label: 'Search failed', iconPath: new vscode.ThemeIcon('warning'), detail: errorText(e), spec: text, alwaysShow: true },
              ...typed,
            ];
          },
        );
      }, SEARCH_DELAY_MS);
    });
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      if (item?.contract) contracts.remember(item.spec, item.contract);
      finish(item?.spec ?? (qp.value.trim() || undefined));
    });
    qp.onDidHide(() => finish(undefined));
    void showWhenCalm(
      qp,
      () => done,
      () => (openPicker.current = qp),
    );
  });
}

/** Asks which of several contracts was meant; undefined when dismissed. */
export async function pickCandidate(candidates: readonly ResolvedContract[], text: string): Promise<ResolvedContract | undefined> {
  const items = candidates.map((c) => ({
    label: c.display,
    description: [c.secType, c.primaryExchange ?? c.exchange, c.currency].filter(Boolean).join(' · '),
    detail: c.longName,
    contract: c,
  }));
  await quickInputOpening();
  const picked = await vscode.window.showQuickPick(items, {
    title: `"${text}" matches ${candidates.length} contracts`,
    placeHolder: 'Which one do you mean?',
    matchOnDescription: true,
  });
  return picked?.contract;
}

/**
 * Resolves a symbol; when it is ambiguous and `ask` is true, lets the person
 * choose and returns the text that names the choice exactly. Without `ask`
 * an ambiguous symbol rejects with AmbiguousSymbolError.
 */
export async function resolveSymbol(contracts: ContractService, text: string, ask: boolean): Promise<{ text: string; contract: ResolvedContract } | undefined> {
  try {
    return { text, contract: await contracts.resolve(text) };
  } catch (e) {
    // IB's answer does not say which symbol it was about (after several adds or an import, the person cannot tell)
    if (e instanceof IbError && !(e instanceof AmbiguousSymbolError) && !e.info.message.startsWith(`${text}: `))
      throw new IbError({ ...e.info, message: `${text}: ${e.info.message}` });
    if (!(e instanceof AmbiguousSymbolError) || !ask) throw e;
    const chosen = await pickCandidate(e.candidates, text);
    if (!chosen) return undefined;
    // the text that names it among the candidates (several classes of one month share a text: by conId then)
    const exact = exactSpecs(e.candidates)[e.candidates.indexOf(chosen)] ?? String(chosen.conId);
    try {
      contracts.remember(exact, chosen);
      return { text: exact, contract: chosen };
    } catch {
      // the qualified text did not parse: the contract id names it exactly
      const byId = String(chosen.conId);
      contracts.remember(byId, chosen);
      return { text: byId, contract: chosen };
    }
  }
}
