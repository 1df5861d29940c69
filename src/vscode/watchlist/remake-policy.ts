/**
 * When to make the watchlist's tree view again. VS Code's extension host
 * keeps a small object for every tree row it ever drew, for as long as the
 * tree view lives (each drawn row's node registers its disposable store on the
 * view, and disposing the store does not take it off): about 250 bytes a row,
 * some 90 MB an hour for a watchlist drawing 100 rows a second. Making the
 * view again lets all of it go. From VS Code 1.139, made again at once (see
 * remakesSeamlessly), the window keeps its list as it was (rows, scroll,
 * selection, keyboard focus: checked in the browser), so it is done whatever
 * the view shows. In 1.100 the window builds the list anew (scrolled to the
 * top, the focus lost), so there it is done where nobody sees it: while the
 * view is hidden, soon; while it shows in a window in the background, once
 * what is kept is worth it.
 */
export const REMAKE_HIDDEN_AFTER_ROWS = 2_000;
/** Shown: about 10 MB kept, at 100 rows a second once every seven minutes at most. */
export const REMAKE_SHOWN_AFTER_ROWS = 40_000;

export interface ViewMoment {
  /** Rows VS Code drew since the view was made. */
  drawn: number;
  /** The view shows (its side bar open, the view expanded). */
  viewShown: boolean;
  /** The window has the focus (a person is likely looking at it). */
  windowFocused: boolean;
  /** This VS Code keeps the window's list as it was when the view is made again at once. */
  seamless: boolean;
}

export function remakeNow(m: ViewMoment, hiddenAfter = REMAKE_HIDDEN_AFTER_ROWS, shownAfter = REMAKE_SHOWN_AFTER_ROWS): boolean {
  if (!m.viewShown) return m.drawn >= hiddenAfter;
  if (!m.windowFocused || m.seamless) return m.drawn >= shownAfter;
  return false;
}

/**
 * Whether this VS Code keeps a shown tree's list (its rows, scroll and
 * selection) when its view is disposed and made again at once: from 1.139
 * (the first version tested with it) the disposal of a view replaced by a new
 * one of the same id leaves the window's tree alone; 1.100 forgets the new
 * view by its id when the old one's disposal ends, so there the old one must
 * be gone first, and the window builds the list anew.
 */
export function remakesSeamlessly(vscodeVersion: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(vscodeVersion);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 1 || (major === 1 && minor >= 139);
}
