import * as vscode from 'vscode';
import type { Quote, ResolvedContract } from '../../ib/types';
import { plainText } from '../../ib/text';
import { requireReady } from './connection-commands';
import { showError } from '../notify';
import type { Services } from '../services';
import { symbolProblem } from '../settings';
import { showQuoteDetails, type DetailsOutcome } from '../quote-details';
import { quoteClipboard, quoteLine } from '../quote-text';
import { resolveSymbol } from '../symbol-picker';
import { pickSymbolFor } from './pick-symbol';
import { symbolArg } from './args';
import { addToWatchlist, listedAs } from './watchlist-commands';
import { storedSymbol } from '../../ib/contracts/symbol-text';

/**
 * IB: Get Quote. With a symbol argument it runs without asking anything and
 * returns the Quote; without one it searches as the person types.
 */
export async function getQuoteCommand(s: Services, arg?: unknown): Promise<Quote | undefined> {
  if (!(await requireReady(s, () => vscode.commands.executeCommand('ibGateway.getQuote', arg)))) return undefined;
  const given = symbolArg(arg);
  const text = given ?? (await pickSymbolFor(s, 'IB: Get Quote'));
  if (text === undefined) return undefined;
  const why = symbolProblem(text);
  if (why) {
    showError(s.log, new Error(`The symbol ${why}.`));
    return undefined;
  }
  try {
    const resolved = await resolveSymbol(s.contracts, text.trim(), given === undefined);
    if (!resolved) return undefined;
    const q = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `IB: quote of ${resolved.contract.display}` }, () =>
      s.quotes.snapshot(resolved.contract),
    );
    const st = s.connection.status;
    const sim = st.simulated ? ' (SIMULATED)' : st.mode === 'live' ? ' (LIVE)' : '';
    const line = quoteLine(q, resolved.contract.display) + sim;
    s.log.info(`quote ${line}`);
    if (given === undefined) {
      // asked from the palette: the quote stays readable, and live, until dismissed; the command ends once
      // the details show (a command run next opens its own input over them, not under them)
      await openQuoteDetails(s, resolved.text, q).opened;
      return q;
    }
    const inList = listedAs(s, storedSymbol(resolved.text), resolved.contract.secType === 'CONTFUT' ? undefined : resolved.contract.conId) !== undefined;
    void vscode.window.showInformationMessage(line, ...(inList ? [] : ['Add to Watchlist']), 'Open Chart', 'Copy').then(async (picked) => {
      if (picked === 'Add to Watchlist') await addToWatchlist(s, resolved.text);
      else if (picked === 'Open Chart') await vscode.commands.executeCommand('ibGateway.openChart', resolved.text);
      else if (picked === 'Copy') await vscode.env.clipboard.writeText(quoteClipboard(q, resolved.contract.display));
    });
    return q;
  } catch (e) {
    showError(s.log, e);
    return undefined;
  }
}

/** The details open now (tests read them). */
export const openDetails: { current?: vscode.QuickPick<vscode.QuickPickItem> } = {};

/**
 * IB: Quote Details, for a watchlist row (its inline button, the selected row
 * from the palette) or a symbol: the quote's facts, live until dismissed.
 */
export async function quoteDetailsCommand(s: Services, arg?: unknown): Promise<DetailsOutcome | undefined> {
  const selected = s.treeView.selection[0] as { symbol?: string } | undefined;
  let symbol = symbolArg(arg) ?? selected?.symbol;
  if (symbol === undefined) {
    symbol = await pickSymbolFor(s, 'IB: Quote Details', s.watchlist.symbols);
    if (symbol === undefined) return undefined;
  }
  return openQuoteDetails(s, symbol.trim()).done;
}

/** The details of a symbol: from its watchlist row, or a stream of its own while open (`opened` once they show, `done` once dismissed). */
function openQuoteDetails(s: Services, text: string, first?: Quote): { opened: Promise<void>; done: Promise<DetailsOutcome> } {
  const row = s.watchlist.row(text);
  let latest: Quote | undefined = first;
  let resolved: ResolvedContract | undefined;
  let failed: string | undefined;
  const { picker, opened, done } = showQuoteDetails(
    text,
    row ? undefined : async () => void (await addToWatchlist(s, text)),
    () => (row ? s.watchlist.row(text)?.quote : latest),
    (render) => {
      if (row) return s.watchlist.onDidChange((rows) => (!rows || rows.some((r) => r.symbol === text)) && render());
      const sub = s.quotes.subscribe(
        text,
        (q) => {
          latest = q;
          render();
        },
        (e) => {
          failed = e.message;
          render();
          showError(s.log, e);
        },
      );
      // the line's own contract (resolved once: the service's cache answers); a failure is the stream's to tell
      s.contracts.resolve(text).then(
        (c) => {
          resolved = c;
          render();
        },
        () => undefined,
      );
      return { dispose: () => sub.dispose() };
    },
    (shown) => (openDetails.current = shown),
    () => (row ? s.watchlist.row(text)?.contract : resolved),
    () => {
      const error = row ? s.watchlist.row(text)?.error?.message : failed;
      return error === undefined ? undefined : plainText(error);
    },
    () => s.market.nowSync(),
  );
  // the simulated gateway's prices and times are not the market's
  if (s.connection.status.simulated) picker.title = `${picker.title ?? text} · SIMULATED`;
  const closed = done.then((how) => {
    if (openDetails.current === picker) openDetails.current = undefined;
    return how;
  });
  return { opened, done: closed };
}
