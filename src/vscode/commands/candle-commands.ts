import * as vscode from 'vscode';
import { BAR_SIZES, checkBarRequest, normaliseBarSize, parseDuration } from '../../ib/bar-sizes';
import { closedText, sessionText } from '../../ib/candles';
import type { Candle } from '../../ib/types';
import { candlesToCsv, candlesToJson, exportName, type CandleFormat } from '../candle-export';
import type { ChartInfo } from '../chart-panel';
import { CHART_DURATIONS } from '../chart-messages';
import { rangeLabel } from '../../../media/chart/format';
import { requireEnabled } from '../gate';
import { requireReady } from './connection-commands';
import { showError } from '../notify';
import type { Services } from '../services';
import { symbolProblem } from '../settings';
import { BACK, pickOrTypeStep, pickStep } from '../multi-step';
import { resolveSymbol } from '../symbol-picker';
import { pickSymbolFor } from './pick-symbol';
import { isRecord, symbolArg } from './args';

export interface FetchCandlesArgs {
  symbol: string;
  barSize: string;
  duration: string;
  /** 'chart' (default) opens the chart panel; 'csv' / 'json' open the bars in a new editor. */
  format?: 'chart' | CandleFormat;
}

export interface FetchCandlesResult {
  candles: Candle[];
  format: 'chart' | CandleFormat;
  document?: vscode.TextDocument;
  chart?: ChartInfo;
  /** Set when the range held no bars (market closed) and these are the most recent session's. */
  lastSession?: { start: number; end: number };
}

function fail(s: Services, message: string): undefined {
  showError(s.log, new Error(message));
  return undefined;
}

/**
 * The four steps of Fetch Candles, each with Back to the one before; the
 * settings' defaults are focused, so Enter through the steps is a valid request.
 */
async function askArgs(s: Services): Promise<FetchCandlesArgs | undefined> {
  const defaults = s.settings.current.chart;
  const got: { symbol?: string; barSize?: string; duration?: string } = {};
  let step = 1;
  while (step <= 4) {
    if (step === 1) {
      const symbol = await pickSymbolFor(s, 'IB: Fetch Candles (1/4): symbol', s.watchlist.symbols, true);
      if (!symbol) return undefined;
      got.symbol = symbol;
      step = 2;
    } else if (step === 2) {
      // the chart toolbar's words ("1 sec" for IB's "1 secs"); the value sent stays IB's
      const items = BAR_SIZES.map((b) => ({ label: rangeLabel(b), barSize: b, description: b === defaults.barSize ? 'default' : undefined }));
      const barSize = await pickStep({
        title: 'IB: Fetch Candles (2/4): bar size',
        placeholder: `Bar size (default ${defaults.barSize})`,
        items,
        active: items.find((i) => i.barSize === (got.barSize ?? defaults.barSize)),
        back: true,
      });
      if (barSize === undefined) return undefined;
      if (barSize === BACK) {
        step = 1;
        continue;
      }
      got.barSize = barSize.barSize;
      step = 3;
    } else if (step === 3) {
      const barSize = got.barSize!;
      const fallback = checkBarRequest(barSize, defaults.duration) ? fittingDuration(barSize) : defaults.duration;
      const wanted = got.duration ?? fallback;
      const listed = [...new Set([...CHART_DURATIONS.filter((d) => !checkBarRequest(barSize, d)), wanted])];
      const duration = await pickOrTypeStep({
        title: 'IB: Fetch Candles (3/4): duration',
        placeholder: `How far back with ${rangeLabel(barSize)} bars: pick one, or type it as IB writes it (e.g. 3 D, 6 M, 1800 S)`,
        // IB's words, with the chart's where they differ: "1800 S" is 30 min
        suggestions: listed.map((d) => ({
          label: d,
          description: [rangeLabel(d) !== d ? rangeLabel(d) : '', d === defaults.duration ? 'default' : ''].filter(Boolean).join(' · ') || undefined,
        })),
        active: wanted,
        validate: (v) => checkBarRequest(barSize, v) ?? undefined,
        back: true,
      });
      if (duration === undefined) return undefined;
      if (duration === BACK) {
        step = 2;
        continue;
      }
      got.duration = duration;
      step = 4;
    } else {
      const format = await pickStep({
        title: 'IB: Fetch Candles (4/4): show as',
        items: [
          { label: 'Open Chart', iconPath: new vscode.ThemeIcon('graph-line'), format: 'chart' as const },
          { label: 'CSV in a new editor', iconPath: new vscode.ThemeIcon('table'), format: 'csv' as const },
          { label: 'JSON in a new editor', iconPath: new vscode.ThemeIcon('json'), format: 'json' as const },
        ],
        back: true,
      });
      if (format === undefined) return undefined;
      if (format === BACK) {
        step = 3;
        continue;
      }
      return { symbol: got.symbol!, barSize: got.barSize!, duration: got.duration!, format: format.format };
    }
  }
  return undefined;
}

/** The first of the chart's durations that IB accepts with a bar size. */
function fittingDuration(barSize: string): string {
  return CHART_DURATIONS.find((d) => !checkBarRequest(barSize, d)) ?? CHART_DURATIONS[0];
}

/**
 * An untitled editor named for what it holds ("AAPL 5 mins 1 D.csv"), so the
 * tab says it and the file type follows the name; the same name again is refilled.
 */
async function openExport(name: string, content: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.from({ scheme: 'untitled', path: name });
  const document = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), content);
  await vscode.workspace.applyEdit(edit);
  return document;
}

/** Checks arguments from a caller; every problem names the argument. */
function checkArgs(raw: unknown): { args?: FetchCandlesArgs; problem?: string } {
  if (!isRecord(raw)) return { problem: 'Fetch Candles expects { symbol, barSize, duration, format? }.' };
  const symbol = symbolArg(raw.symbol);
  const symWhy = symbol === undefined ? 'is missing' : symbolProblem(symbol);
  if (symWhy) return { problem: `symbol ${symWhy}.` };
  if (typeof raw.barSize !== 'string' || !normaliseBarSize(raw.barSize)) return { problem: `barSize must be one of: ${BAR_SIZES.join(', ')}.` };
  if (typeof raw.duration !== 'string' || !parseDuration(raw.duration))
    return { problem: 'duration must be a whole number and a unit S, D, W, M or Y within IB\'s limits, e.g. "1 D".' };
  const why = checkBarRequest(raw.barSize, raw.duration);
  if (why) return { problem: `${why}.` };
  const format = raw.format ?? 'chart';
  if (format !== 'chart' && format !== 'csv' && format !== 'json') return { problem: 'format must be "chart", "csv" or "json".' };
  return { args: { symbol: symbol!.trim(), barSize: normaliseBarSize(raw.barSize)!, duration: parseDuration(raw.duration)!.text, format } };
}

/** IB: Fetch Candles. Asks symbol, bar size, duration and output unless given as an argument. */
export async function fetchCandlesCommand(s: Services, raw?: unknown): Promise<FetchCandlesResult | undefined> {
  if (!requireEnabled(s, () => vscode.commands.executeCommand('ibGateway.fetchCandles', raw))) return undefined;
  let args: FetchCandlesArgs | undefined;
  if (raw === undefined) {
    args = await askArgs(s);
    if (!args) return undefined;
  } else {
    const checked = checkArgs(raw);
    if (!checked.args) return fail(s, `IB: Fetch Candles: ${checked.problem}`);
    args = checked.args;
  }
  const format = args.format ?? 'chart';
  if (!(await requireReady(s))) return undefined;
  try {
    const resolved = await resolveSymbol(s.contracts, args.symbol, raw === undefined);
    if (!resolved) return undefined;
    if (format === 'chart') {
      const chart = s.charts.open(resolved.text, { barSize: args.barSize, duration: args.duration });
      return { candles: [], format, chart: chart.info };
    }
    // up to a minute under IB's pacing: the status bar says what is being fetched meanwhile
    const got = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `IB: fetching ${resolved.contract.display} ${args.barSize} bars` },
      () => s.market.barsOrLastSession({ symbol: resolved.contract, barSize: args.barSize, duration: args.duration }),
    );
    const candles = got.candles;
    s.log.info(`fetched ${candles.length} ${args.barSize} bars of ${resolved.contract.display} over ${args.duration}`);
    if (got.lastSession && got.hours) {
      // the range held no bars: say why, and that these are the most recent session's
      const why = `${resolved.contract.display}: no bars in the last ${args.duration}. ${closedText(got.hours)}; these are the bars of ${sessionText(got.lastSession, got.hours.zone)}.`;
      s.log.info(why);
      void vscode.window.showInformationMessage(why);
    }
    const content =
      format === 'csv'
        ? candlesToCsv(candles, args.barSize)
        : candlesToJson(candles, {
            symbol: resolved.text,
            barSize: args.barSize,
            duration: args.duration,
            simulated: s.connection.status.simulated,
            contract: resolved.contract,
          });
    const document = await openExport(exportName(resolved.text, args.barSize, args.duration, format), content);
    await vscode.window.showTextDocument(document, { preview: false });
    return { candles, format, document, lastSession: got.lastSession };
  } catch (e) {
    showError(s.log, e);
    return undefined;
  }
}

/** IB: Open Chart, for a symbol argument or a watchlist row, or one picked. */
export async function openChartCommand(s: Services, arg?: unknown, options?: unknown): Promise<ChartInfo | undefined> {
  if (!requireEnabled(s, () => vscode.commands.executeCommand('ibGateway.openChart', arg, options))) return undefined;
  let symbol = symbolArg(arg);
  if (symbol === undefined) {
    // the watchlist first, and any other symbol searched as in Get Quote
    symbol = await pickSymbolFor(s, 'IB: Open Chart', s.watchlist.symbols, true);
    if (!symbol) return undefined;
  }
  const why = symbolProblem(symbol);
  if (why) return fail(s, `The symbol ${why}.`);
  const opts = isRecord(options) ? options : {};
  const barSize = typeof opts.barSize === 'string' ? opts.barSize : undefined;
  const duration = typeof opts.duration === 'string' ? opts.duration : undefined;
  if (barSize !== undefined || duration !== undefined) {
    const d = s.settings.current.chart;
    const reason = checkBarRequest(barSize ?? d.barSize, duration ?? d.duration);
    if (reason) return fail(s, `IB: Open Chart: ${reason}.`);
  }
  const useRTH = typeof opts.useRTH === 'boolean' ? opts.useRTH : undefined;
  const chart = s.charts.open(symbol.trim(), { barSize, duration, useRTH, preserveFocus: opts.preserveFocus === true, preview: opts.preview === true });
  return chart.info;
}
