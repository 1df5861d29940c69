import * as vscode from 'vscode';
import { parseChartState } from '../../media/chart/messages';
import type { ChartState } from '../../media/chart/protocol';
import { checkBarRequest } from '../ib/bar-sizes';
import { readSymbol } from '../ib/contracts/symbol';
import { CHART_VIEW_TYPE, ChartPanel, type ChartDeps } from './chart-panel';
import { localRoots } from './chart-webview';

const RANGES_KEY = 'ibGateway.chartRanges';
const MAX_REMEMBERED = 100;

interface Remembered {
  barSize: string;
  duration: string;
  useRTH: boolean;
}

/** A chart opened in preview: the range it opened with (a change of it keeps the chart). */
interface Preview {
  chart: ChartPanel;
  opened: Remembered;
}

/**
 * Every chart panel, one per symbol (reused), and the serializer that brings
 * them back after a window reload.
 *
 * A chart opened by a click on a watchlist row is a preview, as VS Code's
 * editors opened by a single click are (`workbench.editor.enablePreview`):
 * the next row's chart takes its place, so browsing the watchlist leaves one
 * chart tab, not one per row. It is kept (not replaced) once its range or
 * hours are changed, when its row is clicked again (a double click), when it
 * is pinned (VS Code's Pin), or when it is opened by a command.
 */
export class ChartPanels implements vscode.WebviewPanelSerializer<unknown>, vscode.Disposable {
  private readonly panels = new Map<string, ChartPanel>();
  private preview: Preview | undefined;

  constructor(
    private readonly deps: ChartDeps,
    /** Where closed charts' ranges are kept (the workspace's state); none keeps nothing. */
    private readonly memory?: vscode.Memento,
  ) {}

  get symbols(): string[] {
    return [...this.panels.keys()];
  }

  get(symbol: string): ChartPanel | undefined {
    return this.panels.get(symbol);
  }

  /** Opens (or reveals) the chart of a symbol; `preview` (a click on a row): in place of the last preview nobody used. */
  open(symbol: string, options: { barSize?: string; duration?: string; useRTH?: boolean; preserveFocus?: boolean; preview?: boolean } = {}): ChartPanel {
    const existing = this.panels.get(symbol);
    // opened again (by a command, or its row clicked twice): kept
    if (existing && this.preview?.chart === existing) this.preview = undefined;
    if (existing) {
      existing.reveal(options.preserveFocus);
      if (options.barSize || options.duration || options.useRTH !== undefined) {
        const d = this.deps.defaults();
        existing.changeRange(options.barSize ?? existing.info.barSize ?? d.barSize, options.duration ?? existing.info.duration ?? d.duration, options.useRTH);
      }
      return existing;
    }
    // a chart closed and opened again comes back with the range (and hours) it had
    const remembered = this.ranges().get(symbol);
    // the kind of contract, where the text says; for a contract id, the contract's when it is known
    const spec = readSymbol(symbol);
    const kind = spec?.secType ?? (spec?.conId !== undefined ? this.deps.contracts?.cached?.(spec.conId)?.secType : undefined);
    // a continuous future is for the long view: daily bars over a year
    const d = { ...this.deps.defaults(), ...(kind === 'CONTFUT' ? { barSize: '1 day', duration: '1 Y' } : {}), ...remembered };
    let barSize = options.barSize ?? d.barSize;
    let duration = options.duration ?? d.duration;
    if (checkBarRequest(barSize, duration)) {
      barSize = options.barSize ?? this.deps.defaults().barSize;
      duration = options.duration ?? this.deps.defaults().duration;
    }
    const replaced = options.preview ? this.unusedPreview() : undefined;
    const panel = vscode.window.createWebviewPanel(
      CHART_VIEW_TYPE,
      symbol,
      { viewColumn: replaced?.panel.viewColumn ?? vscode.ViewColumn.Active, preserveFocus: options.preserveFocus ?? false },
      // a chart in a tab behind another keeps its page: the person's zoom and scroll are there when it is shown again
      { enableScripts: true, localResourceRoots: localRoots(this.deps.extensionUri), retainContextWhenHidden: true },
    );
    // a future trades around the clock (CME's Globex): its chart opens on the whole session, a stock's on its regular one
    const useRTH = options.useRTH ?? remembered?.useRTH ?? !(kind === 'FUT' || kind === 'CONTFUT');
    const chart = this.adopt(panel, symbol, barSize, duration, useRTH);
    // a chart opened otherwise leaves the preview as it is (VS Code's preview editor stays a preview)
    if (options.preview && previewEnabled()) this.preview = { chart, opened: { barSize, duration, useRTH } };
    replaced?.dispose();
    return chart;
  }

  /** The preview chart to replace: undefined when there is none, or it was used (its range changed) and is kept. */
  private unusedPreview(): ChartPanel | undefined {
    const p = this.preview;
    if (!p || !previewEnabled()) return undefined;
    const now = p.chart.info;
    const used = now.barSize !== p.opened.barSize || now.duration !== p.opened.duration || now.useRTH !== p.opened.useRTH;
    // pinned (VS Code's Pin): a person keeps it
    const title = p.chart.panel.title;
    const pinned = vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.isPinned && t.input instanceof vscode.TabInputWebview && t.label === title));
    return used || pinned || this.panels.get(p.chart.symbol) !== p.chart ? undefined : p.chart;
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved: ChartState | undefined = parseChartState(state);
    if (!saved || this.panels.has(saved.symbol)) {
      this.deps.log.info('chart: a saved chart panel had no usable state and was closed');
      panel.dispose();
      return;
    }
    const d = this.deps.defaults();
    const ok = !checkBarRequest(saved.barSize, saved.duration);
    this.deps.log.info(`chart ${saved.symbol}: restored after reload`);
    this.adopt(panel, saved.symbol, ok ? saved.barSize : d.barSize, ok ? saved.duration : d.duration, saved.useRTH ?? true);
  }

  private adopt(panel: vscode.WebviewPanel, symbol: string, barSize: string, duration: string, useRTH: boolean): ChartPanel {
    // a tab does not colour an icon as the activity bar does (its currentColor comes out black): one per theme kind
    const icon = (name: string) => vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'icons', name);
    panel.iconPath = { light: icon('ib-light.svg'), dark: icon('ib-dark.svg') };
    const chart = new ChartPanel(panel, symbol, barSize, duration, this.deps, useRTH);
    this.panels.set(symbol, chart);
    chart.onDidDispose(() => {
      if (this.preview?.chart === chart) this.preview = undefined;
      if (this.panels.get(symbol) === chart) this.panels.delete(symbol);
      this.remember(symbol, chart.info);
    });
    return chart;
  }

  /**
   * The range each symbol's chart had when it was last closed (this workspace's memory,
   * most recent last): [symbol, barSize, duration, useRTH]; entries without the fourth
   * (kept before the hours toggle existed) mean regular hours.
   */
  private ranges(): Map<string, Remembered> {
    const raw = this.memory?.get<unknown>(RANGES_KEY);
    const list = Array.isArray(raw) ? raw : [];
    const out = new Map<string, Remembered>();
    for (const e of list) {
      if (Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string' && typeof e[2] === 'string' && !checkBarRequest(e[1], e[2])) {
        out.set(e[0], { barSize: e[1], duration: e[2], useRTH: e[3] !== false });
      }
    }
    return out;
  }

  private remember(symbol: string, info: Remembered): void {
    const all = this.ranges();
    all.delete(symbol);
    all.set(symbol, { barSize: info.barSize, duration: info.duration, useRTH: info.useRTH });
    const list = [...all].slice(-MAX_REMEMBERED).map(([sym, r]) => [sym, r.barSize, r.duration, r.useRTH]);
    void this.memory?.update(RANGES_KEY, list);
  }

  /** The time zone setting changed: every chart shows its times again. */
  refreshTimeZones(): void {
    for (const p of this.panels.values()) p.refreshTimeZone();
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
  }
}

/** VS Code's own switch for preview editors (on unless a person turned it off). */
function previewEnabled(): boolean {
  return vscode.workspace.getConfiguration('workbench.editor').get<boolean>('enablePreview', true) !== false;
}
