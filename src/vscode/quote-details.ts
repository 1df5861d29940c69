import * as vscode from 'vscode';
import type { Quote } from '../ib/types';
import { quoteFacts } from './quote-text';
import { showWhenCalm } from './quick-input-calm';

interface DetailItem extends vscode.QuickPickItem {
  action?: 'add' | 'chart' | 'text' | 'json';
}

/**
 * A row's details that stay open and keep streaming: a quick pick whose rows
 * are rewritten as quotes arrive, until dismissed (a hover closes at each
 * refresh). Picking an action row opens the chart or copies the quote.
 */
export function showQuoteDetails(
  symbol: string,
  /** Offered as an action when the symbol is not in the watchlist. */
  add: (() => Promise<void>) | undefined,
  current: () => Quote | undefined,
  onChange: (listener: () => void) => vscode.Disposable,
  /** Called when the details show (they may wait a moment for the watchlist: see quick-input-calm.ts). */
  shown?: (picker: vscode.QuickPick<DetailItem>) => void,
): { picker: vscode.QuickPick<DetailItem>; opened: Promise<void>; done: Promise<void> } {
  const qp = vscode.window.createQuickPick<DetailItem>();
  qp.title = `${symbol}: quote details (live while open)`;
  qp.placeholder = 'Open Chart, or copy the quote as text or JSON';
  qp.matchOnDescription = true;
  const render = () => {
    const q = current();
    const facts: DetailItem[] = q ? quoteFacts(q).map(([label, value]) => ({ label, description: value })) : [{ label: 'Waiting for the first quote…' }];
    const active = qp.activeItems[0]?.label;
    qp.items = [
      ...facts,
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      ...(add ? [{ label: '$(add) Add to Watchlist', action: 'add' as const }] : []),
      { label: '$(graph-line) Open Chart', action: 'chart' },
      { label: '$(copy) Copy as text', action: 'text' },
      { label: '$(json) Copy as JSON', action: 'json' },
    ];
    const again = qp.items.find((i) => i.label === active);
    if (again) qp.activeItems = [again];
  };
  render();
  const sub = onChange(render);
  let hidden = false;
  const done = new Promise<void>((resolve) => {
    qp.onDidAccept(async () => {
      const item = qp.activeItems[0];
      const q = current();
      if (item?.action === 'add' && add) {
        qp.hide();
        await add();
      } else if (item?.action === 'chart') {
        qp.hide();
        await vscode.commands.executeCommand('ibGateway.openChart', symbol);
      } else if (item?.action === 'text' && q) {
        await vscode.env.clipboard.writeText([symbol, ...quoteFacts(q).map(([k, v]) => `${k}: ${v}`)].join('\n'));
      } else if (item?.action === 'json' && q) {
        await vscode.env.clipboard.writeText(JSON.stringify(q, null, 2));
      }
    });
    qp.onDidHide(() => {
      hidden = true;
      sub.dispose();
      qp.dispose();
      resolve();
    });
  });
  const opened = showWhenCalm(
    qp,
    () => hidden,
    () => shown?.(qp),
  );
  return { picker: qp, opened, done };
}
