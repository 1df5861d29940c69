import * as vscode from 'vscode';
import { AmbiguousSymbolError, type ContractService } from '../ib/contracts';
import type { ResolvedContract, SymbolMatch } from '../ib/types';
import { errorText } from './error-text';
import { symbolProblem } from './settings';
import { specForContract, specForMatch } from './symbol-text';

interface SymbolItem extends vscode.QuickPickItem {
  spec: string;
}

const SEARCH_DELAY_MS = 250;
const PLACEHOLDER = 'Type a symbol or name: AAPL, EUR.USD, ES 202512 FUT@CME, SPX IND@CBOE, SHOP@TSE CAD, 265598';

function typedItem(text: string): SymbolItem {
  return { label: text, description: 'as typed', spec: text, alwaysShow: true };
}

function matchItem(m: SymbolMatch, all: readonly SymbolMatch[]): SymbolItem {
  const where = [m.secType, m.primaryExchange, m.currency].filter(Boolean).join(' · ');
  return { label: m.symbol, description: where, detail: m.description, spec: specForMatch(m, all) };
}

/**
 * A QuickPick that searches symbols as the person types (debounced), always
 * offering the text as typed. Resolves to the chosen symbol text, or
 * undefined when dismissed.
 */
export function pickSymbol(contracts: ContractService, canSearch: () => boolean, title: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<SymbolItem>();
    qp.title = title;
    qp.placeholder = PLACEHOLDER;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    let timer: NodeJS.Timeout | undefined;
    let seq = 0;
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      qp.dispose();
      resolve(value);
    };
    qp.onDidChangeValue((value) => {
      const text = value.trim();
      const typed = text && !symbolProblem(text) ? [typedItem(text)] : [];
      qp.items = typed;
      if (timer) clearTimeout(timer);
      if (!text || !canSearch() || symbolProblem(text)) return;
      const mine = ++seq;
      timer = setTimeout(() => {
        qp.busy = true;
        contracts.search(text).then(
          (matches) => {
            if (mine !== seq || done) return;
            qp.busy = false;
            qp.items = [...typed, ...matches.slice(0, 50).map((m) => matchItem(m, matches))];
          },
          (e: unknown) => {
            if (mine !== seq || done) return;
            qp.busy = false;
            qp.items = [...typed, { label: '$(warning) Search failed', detail: errorText(e), spec: text, alwaysShow: true }];
          },
        );
      }, SEARCH_DELAY_MS);
    });
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      finish(item?.spec ?? (qp.value.trim() || undefined));
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
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
export async function resolveSymbol(
  contracts: ContractService,
  text: string,
  ask: boolean,
): Promise<{ text: string; contract: ResolvedContract } | undefined> {
  try {
    return { text, contract: await contracts.resolve(text) };
  } catch (e) {
    if (!(e instanceof AmbiguousSymbolError) || !ask) throw e;
    const chosen = await pickCandidate(e.candidates, text);
    if (!chosen) return undefined;
    const exact = specForContract(chosen);
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
