/**
 * When to make the watchlist's tree view again. VS Code's extension host
 * keeps a small object for every tree row it ever drew, for as long as the
 * tree view lives (each drawn row's node registers its disposable store on the
 * view, and disposing the store does not take it off): about 250 bytes a row,
 * some 90 MB an hour for a watchlist drawing 100 rows a second. Making the
 * view again lets all of it go, but a view made again while a person looks at
 * it is built anew by VS Code (scrolled to the top, the focus lost). So it is
 * done where nobody sees it: while the view is hidden, soon; while it shows in
 * a window that is in the background, once what is kept is worth a rebuild.
 */
export const REMAKE_HIDDEN_AFTER_ROWS = 2_000;
/** About 10 MB kept: at 100 rows a second, once every seven minutes at most. */
export const REMAKE_UNSEEN_AFTER_ROWS = 40_000;

export interface ViewMoment {
  /** Rows VS Code drew since the view was made. */
  drawn: number;
  /** The view shows (its side bar open, the view expanded). */
  viewShown: boolean;
  /** The window has the focus (a person is likely looking at it). */
  windowFocused: boolean;
}

export function remakeNow(m: ViewMoment, hiddenAfter = REMAKE_HIDDEN_AFTER_ROWS, unseenAfter = REMAKE_UNSEEN_AFTER_ROWS): boolean {
  if (!m.viewShown) return m.drawn >= hiddenAfter;
  if (!m.windowFocused) return m.drawn >= unseenAfter;
  return false;
}
