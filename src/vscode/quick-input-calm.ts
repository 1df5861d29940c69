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

const listeners = new Set<(ms: number) => void>();

/** Calls `listener` with QUICK_INPUT_CALM_MS each time one of the extension's quick inputs is about to open. */
export function onQuickInputOpening(listener: (ms: number) => void): vscode.Disposable {
  listeners.add(listener);
  return { dispose: () => void listeners.delete(listener) };
}

/** Says that a quick input is about to open (call right before its show()). */
export function quickInputOpening(): void {
  for (const l of listeners) l(QUICK_INPUT_CALM_MS);
}
