import * as vscode from 'vscode';
import { remakeNow, remakesSeamlessly } from './remake-policy';
import type { WatchlistTree } from './watchlist-tree';
import type { WatchRow } from './watchlist-model';

const WATCHLIST_VIEW = 'ibWatchlist';

/** How often a view that stays shown in a background window is looked at (it keeps drawing rows meanwhile). */
const CHECK_EVERY_MS = 15_000;

/**
 * The watchlist's tree view, as the commands see it (selection, reveal,
 * message, description), made again once VS Code keeps enough for the rows it
 * drew (see remake-policy.ts): at once where the window then keeps its list as
 * it was, else only where nobody sees it. Made again, VS Code asks for every
 * row again.
 */
export class WatchlistView implements vscode.Disposable {
  private view: vscode.TreeView<WatchRow>;
  private viewSubs: vscode.Disposable[] = [];
  private readonly subs: vscode.Disposable[];
  private readonly timer: ReturnType<typeof setInterval>;
  /** The tree's render count when this view was made. */
  private drawnBefore = 0;
  private remaking: Promise<void> | undefined;
  private disposed = false;
  private messageText: string | undefined;
  private descriptionText: string | undefined;
  /** Times the view was made again (for tests). */
  remakes = 0;

  constructor(
    private readonly tree: WatchlistTree,
    private readonly remakeWhen: typeof remakeNow = remakeNow,
    /** This VS Code keeps the window's list when the view is made again at once (see remakesSeamlessly). */
    private readonly seamless = remakesSeamlessly(vscode.version),
  ) {
    this.view = this.make();
    this.subs = [vscode.window.onDidChangeWindowState(() => this.check())];
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS);
  }

  get selection(): readonly WatchRow[] {
    return this.carriedSelection ?? this.view.selection;
  }

  /** Made again at once (seamless), the window keeps its selection but tells the new view nothing until it changes: this is it till then. */
  private carriedSelection: readonly WatchRow[] | undefined;

  private readonly selectionChanged = new vscode.EventEmitter<readonly WatchRow[]>();
  /** The selection changed: a person's click or key, or the list's own commands. */
  readonly onDidChangeSelection = this.selectionChanged.event;

  get visible(): boolean {
    return this.view.visible;
  }

  get message(): string | undefined {
    return this.messageText;
  }

  set message(text: string | undefined) {
    if (text === this.messageText) return;
    this.messageText = text;
    this.view.message = text;
  }

  get description(): string | undefined {
    return this.descriptionText;
  }

  /**
   * SIMULATED or LIVE, in the view's title: VS Code hides a view's description where the view is alone in its
   * container (its header is merged into the container's title), which is where the watchlist is.
   */
  set description(text: string | undefined) {
    if (text === this.descriptionText) return;
    this.descriptionText = text;
    this.view.title = viewTitle(text);
  }

  /** The title VS Code shows for the view now. */
  get title(): string | undefined {
    return this.view.title;
  }

  async reveal(row: WatchRow, options: { select?: boolean; focus?: boolean }): Promise<void> {
    if (this.remaking) await this.remaking;
    await this.view.reveal(row, options);
  }

  /** Makes the view again now (what a check does when it is time; tests call it directly). */
  remake(): Promise<void> {
    this.remaking ??= (async () => {
      for (const d of this.viewSubs) d.dispose();
      this.viewSubs = [];
      if (this.seamless) {
        // the new view replaces the old one at once: the window keeps its list as it was (rows, scroll, selection, focus) and asks for the rows again
        const kept = this.selection;
        const gone = Promise.resolve(this.view.dispose() as unknown);
        this.view = this.make();
        this.carriedSelection = kept.length ? kept : undefined;
        this.publishSelected();
        this.remakes++;
        await gone.catch(() => undefined);
        return;
      }
      const selected = this.view.selection[0];
      const wasShown = this.view.visible;
      // wholly gone before the new one is made: VS Code (1.100) forgets a view by its id when the old one's disposal ends
      await Promise.resolve(this.view.dispose() as unknown);
      if (this.disposed) return;
      this.view = this.make();
      this.remakes++;
      // the window builds its list anew: the row that was selected is selected again, now or (hidden: revealing it would show the view) when it shows
      if (selected && wasShown) await this.reselect(selected);
      else if (selected) this.selectWhenShown = selected;
    })().finally(() => (this.remaking = undefined));
    return this.remaking;
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    for (const d of [...this.subs, ...this.viewSubs, this.selectionChanged]) d.dispose();
    void this.view.dispose();
  }

  private make(): vscode.TreeView<WatchRow> {
    const view = vscode.window.createTreeView(WATCHLIST_VIEW, {
      treeDataProvider: this.tree,
      dragAndDropController: this.tree,
      canSelectMany: true,
      showCollapseAll: false,
    });
    view.message = this.messageText;
    view.title = viewTitle(this.descriptionText);
    this.drawnBefore = this.tree.renderCount;
    // rows are rendered only while the view shows (not while another view is, nor collapsed)
    this.tree.setVisible(view.visible);
    this.carriedSelection = undefined;
    this.viewSubs = [
      view.onDidChangeVisibility((e) => {
        this.tree.setVisible(e.visible);
        const row = e.visible ? this.selectWhenShown : undefined;
        this.selectWhenShown = undefined;
        if (row) void this.reselect(row);
        this.check();
      }),
      view.onDidChangeSelection((e) => {
        if (view !== this.view) return;
        this.carriedSelection = undefined;
        // a list built anew starts with nothing selected: only a row a person selects replaces the one kept
        if (e.selection.length) this.selectWhenShown = undefined;
        this.publishSelected();
        this.selectionChanged.fire(e.selection);
      }),
    ];
    return view;
  }

  /** Whether a row is selected, for the palette: Move Up and Move Down are listed only then. */
  private publishSelected(): void {
    const selected = this.selection.length > 0;
    if (selected === this.selectedPublished) return;
    this.selectedPublished = selected;
    void vscode.commands.executeCommand('setContext', 'ibGateway.rowSelected', selected);
  }

  private selectedPublished = false;

  /** A row selected when the view was made again while hidden, selected again when it shows. */
  private selectWhenShown: WatchRow | undefined;

  private async reselect(row: WatchRow): Promise<void> {
    // a list built anew can be revealed in once VS Code has asked for its rows (up to 2 s)
    for (let waited = 0; this.tree.renderCount === this.drawnBefore && waited < 2_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    // a reveal can fail or be lost while the window still builds the list (busy machine): tried again, up to 3 s
    for (let tries = 0; tries < 10; tries++) {
      if (this.disposed || this.view.selection.length) return;
      const view = this.view;
      await Promise.resolve(view.reveal(row, { select: true, focus: false })).catch(() => undefined);
      if (view !== this.view || view.selection.length) return;
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  private check(): void {
    if (this.remaking || this.disposed) return;
    const moment = {
      drawn: this.tree.renderCount - this.drawnBefore,
      viewShown: this.view.visible,
      windowFocused: vscode.window.state.focused,
      seamless: this.seamless,
    };
    if (this.remakeWhen(moment)) void this.remake();
  }
}

/** The view's name, with what the data is before it where it matters (first: a narrow side bar cuts the title's end). */
function viewTitle(label: string | undefined): string {
  return label ? `${label} Watchlist` : 'Watchlist';
}
