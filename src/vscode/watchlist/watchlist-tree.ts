import * as vscode from 'vscode';
import { RowPacer } from './row-pacer';
import { lookKey, rowItem, rowLook, rowPlace, rowTooltip, sameLook, type RowFacts, type RowLook } from './watchlist-item';
import { RowCommands } from './row-commands';
import type { WatchlistModel, WatchRow } from './watchlist-model';

const MIME = 'application/vnd.code.tree.ibwatchlist';

/**
 * Most rows rendered a second, all rows together: VS Code's cost of drawing a
 * tree row (serialising it to the window) is what the watchlist's CPU is made
 * of. Each row renders at most once a second (see rowRestMs); 100 busy rows
 * take turns.
 */
const ROWS_PER_SECOND = 100;

/**
 * The watchlist's pace: a render at most every 500 ms (twice a second), ROWS_PER_SECOND rows a second in all.
 * Each row renders at most once a second whatever the interval (see rowRestMs), so the interval sets only how
 * many messages carry the rows to the window: each costs the extension host its own framing and compression,
 * and in the benchmark two a second cost less than four (1.09x and 1.13x a bare client, against 1.23x).
 */
const PACE = { intervalMs: 500, rowsPerSecond: ROWS_PER_SECOND };

/**
 * How long a refresh of the whole list, once sent, may take to land in the
 * window (VS Code asks for the rows again, then draws them): a quick input
 * opening meanwhile waits for it (see quick-input-calm.ts).
 */
const WHOLE_LANDS_MS = 400;

/** How long a row whose hover opened is not rendered again (VS Code closes a row's hover when it renders): time to read it; less when another row's hover opens. */
const HOVER_HOLD_MS = 8_000;

/**
 * How long a row rests between two renders: VS Code opens a row's hover once
 * the pointer has rested on it for `workbench.hover.delay` (500 ms; 1500 on
 * macOS) without the row rendering (a render starts the wait again), so a row
 * that rendered four times a second never showed its hover while prices
 * streamed. Each row renders at most once a second, or the hover delay and a
 * quarter second more where that is longer.
 */
export function rowRestMs(hoverDelayMs: unknown): number {
  const delay = typeof hoverDelayMs === 'number' && Number.isFinite(hoverDelayMs) && hoverDelayMs >= 0 ? hoverDelayMs : 500;
  return Math.min(Math.max(1_000, delay + 250), 5_000);
}

/**
 * The watchlist tree: rows from the model, refreshed only where they changed
 * and only while the view is shown, reordered by drag and drop. `reorder` persists a new order (settings).
 * Not connected, the rows stay (last known values, or dashes) and can still
 * be edited; only when IB is disabled (`showRows` false) are there none, so the
 * view's welcome content offers to enable it.
 */
export class WatchlistTree implements vscode.TreeDataProvider<WatchRow>, vscode.TreeDragAndDropController<WatchRow>, vscode.Disposable {
  readonly dragMimeTypes = [MIME];
  readonly dropMimeTypes = [MIME];
  private readonly emitter = new vscode.EventEmitter<WatchRow | WatchRow[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly sub: vscode.Disposable;
  private readonly configSub: vscode.Disposable;
  /** Rows whose text changed, rendered in turns (see ROWS_PER_SECOND). */
  private readonly pacer: RowPacer<WatchRow>;

  /** Whether the quotes come from the simulated gateway (the hover says so). */
  simulated: () => boolean = () => false;
  /** The gateway's clock, epoch ms (the hover says a futures month's days left in its roll week). */
  now: () => number | undefined = () => undefined;

  constructor(
    private readonly model: WatchlistModel,
    private readonly showRows: () => boolean,
    /** Quotes stream now (connected); otherwise the rows show their last values as such. */
    private readonly live: () => boolean,
    private readonly reorder: (symbols: string[]) => Promise<void>,
    pace: { intervalMs: number; rowsPerSecond: number } = PACE,
  ) {
    // read once and again when the setting changes, not on every render turn
    const readRest = () => rowRestMs(vscode.workspace.getConfiguration('workbench.hover').get('delay'));
    let rest = readRest();
    this.configSub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('workbench.hover.delay')) rest = readRest();
    });
    this.pacer = new RowPacer({
      ...pace,
      rowIntervalMs: () => rest,
      render: (rows) => this.render(rows),
    });
    this.sub = model.onDidChange((rows) => {
      if (!rows) {
        this.pacer.clear();
        this.fireWhole();
        return;
      }
      // hidden (another view shown, or this one collapsed): nothing is rendered; the rows are brought up to date when it shows
      if (!this.visible) {
        for (const r of rows) this.missed.add(r);
        return;
      }
      this.fireChanged(rows);
    });
  }

  /** Whether VS Code shows the view now (TreeView.visible); rows change unseen while it does not. */
  private visible = false;

  get viewShown(): boolean {
    return this.visible;
  }
  /** Rows that changed while the view was hidden. */
  private readonly missed = new Set<WatchRow>();

  /** Told by the tree view when it is shown or hidden; shown, the rows that changed meanwhile are rendered at once. */
  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (!visible) {
      for (const r of this.pacer.take()) this.missed.add(r);
      return;
    }
    if (!this.missed.size) return;
    const rows = this.model.rows.filter((r) => this.missed.has(r));
    this.missed.clear();
    this.fireChanged(rows);
    this.pacer.flushAll();
  }

  /**
   * A quick input opens (see quick-input-calm.ts): renders no row, and not the
   * whole list (a row added or removed), for `ms` from when it shows; returns
   * how long it should wait to show, while a whole-list refresh sent just
   * before is still landing in the shown view.
   */
  pauseRenders(ms: number): number {
    const now = Date.now();
    const wait = this.visible ? Math.max(0, this.wholeSentAt + WHOLE_LANDS_MS - now) : 0;
    this.pacer.pauseFor(wait + ms);
    this.pausedUntil = Math.max(this.pausedUntil, now + wait + ms);
    return wait;
  }

  private pausedUntil = 0;
  /** When the last refresh of the whole list was sent. */
  private wholeSentAt = -Infinity;
  /** What waits for a pause to end: the whole list, every row (see refresh); each once. */
  private readonly afterPause = new Map<'whole' | 'all', NodeJS.Timeout>();

  /** Runs `send` now, or once the pause ends (a second ask meanwhile is the same one). */
  private unpaused(kind: 'whole' | 'all', send: () => void): void {
    const wait = this.pausedUntil - Date.now();
    if (wait <= 0) return send();
    if (this.afterPause.has(kind)) return;
    this.afterPause.set(
      kind,
      setTimeout(() => {
        this.afterPause.delete(kind);
        send();
      }, wait),
    );
  }

  /** Asks VS Code for the whole list again: now, or once a pause ends. */
  private fireWhole(): void {
    this.unpaused('whole', () => this.sendWhole());
  }

  private sendWhole(): void {
    // rows may have gone: their click commands with them
    this.commands.keepOnly(this.model.symbols);
    this.wholeSentAt = Date.now();
    this.wholeShows = this.showRows();
    this.wholes++;
    this.emitter.fire(undefined);
  }

  /** Hands the rows that changed to the pacer: at their turn, those whose text or icon changed are rendered. */
  private fireChanged(rows: readonly WatchRow[]): void {
    if (rows.length) this.pacer.offer(rows);
  }

  /** Asks VS Code to render again those of these rows whose text or icon changed (a render closes the row's hover). */
  private render(rows: WatchRow[]): void {
    // the moment of the pacer's turn (it calls this at once), before the rows' text is worked out
    const at = Date.now();
    const live = this.live();
    const changed = rows.filter((r) => this.model.row(r.symbol) === r && !sameLook(this.drawn.get(r)?.shown, this.lookOf(r, live)));
    for (const r of changed) this.drawnOf(r).asked = true;
    if (!changed.length) return;
    if (this.recording) {
      this.fires.push({ at, rows: changed.length });
      if (this.fires.length > 1000) this.fires.shift();
    }
    this.emitter.fire(changed);
  }

  /** Whether to keep the logs below (only while the extension runs its own tests). */
  recording = false;
  /** The last 1,000 times this provider asked VS Code to render rows, and how many (for tests). */
  readonly fires: Array<{ at: number; rows: number }> = [];
  /** How often VS Code rendered each symbol's row because this provider asked (for tests). */
  readonly askedRenders = new Map<string, number>();

  /**
   * Each row's click command (see RowCommands). VS Code resolves a row for a
   * click as for a hover, which holds it (see resolveTreeItem): a click is no
   * hover to read, so the row is let go once its command runs.
   */
  private readonly commands = new RowCommands((symbol) => {
    const row = this.model.row(symbol);
    if (!row || row !== this.hovered) return;
    this.hovered = undefined;
    this.pacer.release(row);
  });
  /** What the tree keeps of each row between renders (see Drawn). */
  private readonly drawn = new WeakMap<WatchRow, Drawn>();

  private drawnOf(row: WatchRow): Drawn {
    let d = this.drawn.get(row);
    if (!d)
      this.drawn.set(
        row,
        (d = { look: undefined, quote: undefined, error: undefined, live: false, shown: undefined, shownQuote: undefined, item: undefined, asked: false }),
      );
    return d;
  }

  private lookOf(row: WatchRow, live: boolean): RowLook {
    const d = this.drawnOf(row);
    const quote = row.quote;
    if (d.look && d.quote === quote && d.error === row.error && d.live === live) return d.look;
    d.quote = quote;
    d.error = row.error;
    d.live = live;
    return (d.look = rowLook(row, live));
  }

  /** The last 10,000 rows rendered, each with its number in `renderCount`, what it showed and whether this provider asked for it (for tests). */
  readonly renders: Array<{ n: number; symbol: string; key: string; asked: boolean; at: number }> = [];
  /** How many rows were rendered so far (for the benchmark). */
  renderCount = 0;

  getTreeItem(row: WatchRow): vscode.TreeItem {
    const live = this.live();
    const look = this.lookOf(row, live);
    const d = this.drawnOf(row);
    d.shown = look;
    d.shownQuote = d.quote;
    const asked = d.asked;
    d.asked = false;
    this.renderCount++;
    if (this.recording) {
      if (asked) this.askedRenders.set(row.symbol, (this.askedRenders.get(row.symbol) ?? 0) + 1);
      this.renders.push({ n: this.renderCount, symbol: row.symbol, key: lookKey(look), asked, at: Date.now() });
      if (this.renders.length > 10_000) this.renders.shift();
    }
    return (d.item = rowItem(row, live, look, this.placeOf(row), d.item));
  }

  /** The row's place in the list, for its menu (the list's own order: nothing copied on this path, drawn for every render). */
  private placeOf(row: WatchRow): ReturnType<typeof rowPlace> {
    const order = this.model.symbols;
    return rowPlace(order.indexOf(row.symbol), order.length);
  }

  /**
   * The hover, built when it is shown, so it holds the latest values; and the
   * command a click or Enter runs, asked for by VS Code only then (sent with
   * every render, a command with arguments costs VS Code a converted copy per row).
   */
  resolveTreeItem(item: vscode.TreeItem, row: WatchRow): vscode.TreeItem {
    // VS Code asks when the row's hover opens (or the row is opened): rendering the row would close the hover.
    // One hover shows at a time: the row whose hover showed before is drawn again at its next turn.
    if (this.hovered && this.hovered !== row) this.pacer.release(this.hovered);
    this.hovered = row;
    this.pacer.hold(row, HOVER_HOLD_MS);
    const d = this.drawn.get(row);
    const drawn = d?.shown ? { symbol: row.symbol, label: row.label, error: row.error, quote: d.shownQuote, contract: row.contract } : row;
    return withDetails(item, this.live(), drawn, this.simulated(), this.commands.commandFor(row.symbol), this.now());
  }

  /** The row whose hover VS Code asked for last (held: see HOVER_HOLD_MS). */
  private hovered: WatchRow | undefined;

  /** A row's whole item as VS Code shows it, hover and command included, without counting as a render or holding the row (the API). */
  itemOf(row: WatchRow): vscode.TreeItem {
    const live = this.live();
    return withDetails(
      rowItem(row, live, this.lookOf(row, live), this.placeOf(row)),
      live,
      row,
      this.simulated(),
      this.commands.commandFor(row.symbol),
      this.now(),
    );
  }

  getChildren(element?: WatchRow): WatchRow[] {
    if (element) return [];
    return this.showRows() ? this.model.rows : [];
  }

  getParent(): undefined {
    return undefined;
  }

  /** Renders rows at another pace (benchmarks: what a pace costs, compared in one run). */
  setPace(pace: { intervalMs: number; rowsPerSecond: number } = PACE): void {
    this.pacer.setPace(pace);
  }

  /** Asks VS Code to draw every row again now, outside the pace (tests: what drawing costs). */
  redrawAll(): void {
    if (this.model.rows.length) this.emitter.fire([...this.model.rows]);
  }

  /** Whether the rows were shown when the whole list was last asked for (see refresh). */
  private wholeShows: boolean | undefined;
  /** How often the whole list was asked for (for tests). */
  wholes = 0;

  /**
   * What every row says changed (the connection's phase: live, or last known).
   * The same rows still shown, each is drawn again, not the whole list: VS
   * Code forgets every row's handle on a whole-list refresh until it has
   * asked for the rows again, and a click meanwhile finds no command to run.
   */
  refresh(): void {
    this.missed.clear();
    this.pacer.clear();
    if (this.showRows() !== this.wholeShows) return this.fireWhole();
    if (!this.visible) {
      for (const r of this.model.rows) this.missed.add(r);
      return;
    }
    this.unpaused('all', () => this.render([...this.model.rows]));
  }

  handleDrag(source: readonly WatchRow[], dataTransfer: vscode.DataTransfer): void {
    dataTransfer.set(MIME, new vscode.DataTransferItem(source.map((r) => r.symbol)));
  }

  async handleDrop(target: WatchRow | undefined, dataTransfer: vscode.DataTransfer): Promise<void> {
    const item = dataTransfer.get(MIME);
    if (!item) return;
    const raw: unknown = item.value;
    const moved = Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string' && this.model.symbols.includes(s)) : [];
    if (!moved.length) return;
    await this.reorder(moveSymbols(this.model.symbols, moved, target?.symbol));
  }

  dispose(): void {
    for (const t of this.afterPause.values()) clearTimeout(t);
    this.commands.dispose();
    this.pacer.dispose();
    this.sub.dispose();
    this.configSub.dispose();
    this.emitter.dispose();
  }
}

/**
 * What the tree keeps of a row between renders: one object per row, changed
 * in place (a render adds nothing that lives until the next one but its text).
 */
interface Drawn {
  /** The look worked out last, and from what: formatted once per change, not again when rendered. */
  look: RowLook | undefined;
  quote: WatchRow['quote'];
  error: WatchRow['error'];
  live: boolean;
  /** The look VS Code was last given for the row, and the quote it showed: its hover shows the same values as the row. */
  shown: RowLook | undefined;
  shownQuote: WatchRow['quote'];
  /** The row's tree item, changed and given again at every render (see rowItem). */
  item: vscode.TreeItem | undefined;
  /** This provider asked VS Code to render the row again, and it has not yet. */
  asked: boolean;
}

/** A row's item with what VS Code asks for only when a row is hovered or opened: its hover and its command. */
function withDetails(item: vscode.TreeItem, live: boolean, shown: RowFacts, simulated: boolean, command: vscode.Command, now?: number): vscode.TreeItem {
  item.tooltip = rowTooltip(shown, live, simulated, now);
  item.command = command;
  return item;
}

/**
 * The list after dropping `moved` onto `target`: rows dragged down land after
 * the target, rows dragged up land before it; no target means the end.
 */
export function moveSymbols(list: readonly string[], moved: readonly string[], target: string | undefined): string[] {
  const keep = list.filter((s) => moved.includes(s));
  const rest = list.filter((s) => !moved.includes(s));
  if (target === undefined) return [...rest, ...keep];
  if (moved.includes(target)) return [...list];
  const down = list.indexOf(keep[0]) < list.indexOf(target);
  const at = rest.indexOf(target) + (down ? 1 : 0);
  return [...rest.slice(0, at), ...keep, ...rest.slice(at)];
}
