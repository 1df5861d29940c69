import * as vscode from 'vscode';
import { entryLabel } from '../ib/contracts/symbol-text';
import { contractLine } from '../ib/contracts/contract-line';
import type { Quote, ResolvedContract } from '../ib/types';
import { copyValue, quoteFacts, quoteJson } from './quote-text';
import { showWhenCalm } from './quick-input-calm';

interface DetailItem extends vscode.QuickPickItem {
  action?: 'add' | 'chart' | 'text' | 'json' | 'value' | 'contract';
}

/** Confirms a copy where a person looks after the details close: the status bar, for a few seconds. */
function copied(what: string): void {
  vscode.window.setStatusBarMessage(`$(check) Copied ${what}`, 4000);
}

/**
 * A row's details that stay open and keep streaming: a quick pick whose rows
 * are rewritten as quotes arrive, until dismissed (a hover closes at each
 * refresh). The first action is active when they open (Enter opens the chart,
 * or adds the symbol); Enter on a value copies it, on an action row opens the
 * chart or copies the whole quote; a copy closes the details and says so.
 */
/** How the details ended: their chart opened (it has the focus), a value was copied, or they closed otherwise. */
export type DetailsOutcome = 'chart' | 'copied' | 'closed';

export function showQuoteDetails(
  symbol: string,
  /** Offered as an action when the symbol is not in the watchlist. */
  add: (() => Promise<void>) | undefined,
  current: () => Quote | undefined,
  onChange: (listener: () => void) => vscode.Disposable,
  /** Called when the details show (they may wait a moment for the watchlist: see quick-input-calm.ts). */
  shown?: (picker: vscode.QuickPick<DetailItem>) => void,
  /** The instrument the symbol resolved to, once it has (its name, kind, exchange). */
  contract: () => ResolvedContract | undefined = () => undefined,
  /** Why no quote comes (an unknown symbol, a continuous future's history only), once known. */
  problem: () => string | undefined = () => undefined,
  /** The gateway's clock, epoch ms: a futures month's days left in its roll week. */
  now: () => number | undefined = () => undefined,
): { picker: vscode.QuickPick<DetailItem>; opened: Promise<void>; done: Promise<DetailsOutcome> } {
  const qp = vscode.window.createQuickPick<DetailItem>();
  // named as the watchlist names it: a future by its month in words
  qp.title = `${entryLabel(symbol)}: quote details (live while open)`;
  qp.placeholder = 'Enter on a value copies it; or open the chart, or copy the whole quote as text or JSON';
  qp.matchOnDescription = true;
  let first = true;
  let was = '';
  const render = () => {
    const q = current();
    const c = contract();
    const facts: DetailItem[] = [
      // which instrument it is, first: "ES" typed as a stock is Eversource on NYSE, not the E-mini
      ...(c ? [{ label: 'Contract', description: contractLine(c, now()), action: 'contract' as const }] : []),
      ...(q
        ? quoteFacts(q).map(([label, value]) => ({ label, description: value, action: 'value' as const }))
        : [
            problem() !== undefined
              ? { label: 'No quote', description: problem(), iconPath: new vscode.ThemeIcon('warning') }
              : { label: 'Waiting for the first quote…' },
          ]),
    ];
    // rows are sent again only when what they show changed: each send is a moment in which a key moving the
    // highlight can cross it and be undone (the send carries the row read before the key)
    const shows = JSON.stringify(facts);
    if (shows === was) return;
    was = shows;
    const active = qp.activeItems[0]?.label;
    qp.items = [
      ...facts,
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      ...(add ? [{ label: 'Add to Watchlist', iconPath: new vscode.ThemeIcon('add'), action: 'add' as const }] : []),
      { label: 'Open Chart', iconPath: new vscode.ThemeIcon('graph-line'), action: 'chart' },
      { label: 'Copy as text', iconPath: new vscode.ThemeIcon('copy'), action: 'text' },
      { label: 'Copy as JSON', iconPath: new vscode.ThemeIcon('json'), action: 'json' },
    ];
    // opened on the first action (Add to Watchlist, or Open Chart), not on a value row; then the row a person chose is kept
    const again = first ? qp.items.find((i) => i.action && i.action !== 'value' && i.action !== 'contract') : qp.items.find((i) => i.label === active);
    first = false;
    if (again) qp.activeItems = [again];
  };
  render();
  const sub = onChange(render);
  let hidden = false;
  let outcome: DetailsOutcome = 'closed';
  const done = new Promise<DetailsOutcome>((resolve) => {
    qp.onDidAccept(async () => {
      // the row highlighted when Enter was pressed: VS Code sends it as the selection just before the accept
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      const q = current();
      if (item?.action === 'add' && add) {
        qp.hide();
        await add();
      } else if (item?.action === 'chart') {
        outcome = 'chart';
        qp.hide();
        await vscode.commands.executeCommand('ibGateway.openChart', symbol);
      } else if (item?.action === 'value' && item.description) {
        const value = copyValue(item.description, q, item.label);
        // nothing to copy yet ("—"): the details stay open
        if (value === undefined) return;
        // copied first, then closed: once the details are gone the clipboard holds the value
        await vscode.env.clipboard.writeText(value);
        outcome = 'copied';
        qp.hide();
        copied(`${symbol} ${item.label} ${value}`);
      } else if (item?.action === 'contract' && item.description) {
        await vscode.env.clipboard.writeText(item.description);
        outcome = 'copied';
        qp.hide();
        copied(`the ${symbol} contract`);
      } else if (item?.action === 'text' && q) {
        await vscode.env.clipboard.writeText([symbol, ...quoteFacts(q).map(([k, v]) => `${k}: ${v}`)].join('\n'));
        outcome = 'copied';
        qp.hide();
        copied(`the ${symbol} quote as text`);
      } else if (item?.action === 'json' && q) {
        await vscode.env.clipboard.writeText(quoteJson(q));
        outcome = 'copied';
        qp.hide();
        copied(`the ${symbol} quote as JSON`);
      }
    });
    qp.onDidHide(() => {
      hidden = true;
      sub.dispose();
      qp.dispose();
      resolve(outcome);
    });
  });
  const opened = showWhenCalm(
    qp,
    () => hidden,
    () => shown?.(qp),
  );
  return { picker: qp, opened, done };
}
