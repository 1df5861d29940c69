import type * as vscode from 'vscode';

/**
 * How long the watchlist renders nothing while one of the extension's quick
 * inputs opens. VS Code's tree view takes the keyboard focus back after each
 * refresh while it believes it has it, and it learns that it lost it a turn
 * late (its blur is deferred): a row rendered just as a quick input opens
 * over a focused watchlist took the focus back, and the quick input closed
 * before anything could be typed (seen about once in 50 opens while rows
 * stream, more on a busy machine).
 */
export const QUICK_INPUT_CALM_MS = 600;

/**
 * Told that a quick input is about to open, for QUICK_INPUT_CALM_MS; returns
 * how long the input should wait before it shows (a refresh already on its
 * way to the window, which cannot be called back), or nothing.
 */
type CalmListener = (ms: number) => number | void;

const listeners = new Set<CalmListener>();

/** Calls `listener` each time one of the extension's quick inputs is about to open. */
export function onQuickInputOpening(listener: CalmListener): vscode.Disposable {
  listeners.add(listener);
  return { dispose: () => void listeners.delete(listener) };
}

/**
 * Says that a quick input is about to open; resolves when it may show: at
 * once, or once a refresh of the whole watchlist sent just before has landed
 * in the window (a row added or removed as the input opens: that refresh
 * took the focus back, and the input closed by itself).
 */
export function quickInputOpening(): Promise<void> {
  let wait = 0;
  for (const l of listeners) wait = Math.max(wait, l(QUICK_INPUT_CALM_MS) ?? 0);
  return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
}

/** The last input asked to show: inputs show in the order they were asked, whatever each one waits. */
let lastTurn: Promise<void> = Promise.resolve();

/**
 * Shows a quick input once it may (see quickInputOpening) and once every
 * input asked before it has had its turn (one asked earlier that waited longer
 * would otherwise show late, over the newer one, and close it), unless it was
 * closed or disposed meanwhile (`gone`); then calls `shown` (what counts it
 * as open: only what shows can be typed into). Resolves when it has shown,
 * or has been left out.
 */
export function showWhenCalm(input: { show(): void; ignoreFocusOut?: boolean }, gone: () => boolean, shown?: () => void): Promise<void> {
  const turn = Promise.all([quickInputOpening(), lastTurn]).then(() => {
    if (gone()) return;
    // the focus can come back a moment after the input shows (to a tree that refreshed, or to where a
    // picker just closed went): the input keeps through that moment, then closes on focus out as usual
    const steady = input.ignoreFocusOut === false;
    if (steady) input.ignoreFocusOut = true;
    input.show();
    shown?.();
    if (steady) setTimeout(() => !gone() && (input.ignoreFocusOut = false), QUICK_INPUT_CALM_MS);
  });
  lastTurn = turn;
  return turn;
}
