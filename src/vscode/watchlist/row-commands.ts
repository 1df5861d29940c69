import * as vscode from 'vscode';

/** The command a row of this symbol runs when clicked (or Enter pressed on it). */
function rowCommandId(symbol: string): string {
  return `ibGateway.watchlistRow/${symbol}`;
}

/**
 * The commands a click on a watchlist row (or Enter) runs: one registered per
 * symbol, without arguments, each opening its row's chart as a preview (the
 * next row's takes its place), the focus staying in the list.
 *
 * A command with arguments would not do: VS Code keeps a tree row's command
 * arguments with the row as it resolved them (ExtHostTreeView: the node's
 * disposable store) and forgets them when the row is drawn again. A click
 * resolved just before a pending redraw of its row then ran a command whose
 * arguments were gone, and no chart opened (most often just after a
 * reconnect, when every row is drawn again). A command without arguments is
 * sent as it is.
 */
export class RowCommands implements vscode.Disposable {
  private readonly registered = new Map<string, vscode.Disposable>();

  /** `opened`: told when a row's command runs (VS Code resolved the row for the click, which holds it as for a hover). */
  constructor(private readonly opened: (symbol: string) => void = () => undefined) {}

  /** The row's command, registered the first time it is asked for. */
  commandFor(symbol: string): vscode.Command {
    const id = rowCommandId(symbol);
    if (!this.registered.has(symbol))
      this.registered.set(
        symbol,
        vscode.commands.registerCommand(id, () => {
          this.opened(symbol);
          return vscode.commands.executeCommand('ibGateway.openChart', symbol, { preserveFocus: true, preview: true });
        }),
      );
    return { command: id, title: 'Open Chart' };
  }

  /** Keeps the commands of these symbols (the watchlist's rows) and lets the others go. */
  keepOnly(symbols: readonly string[]): void {
    const kept = new Set(symbols);
    for (const [symbol, registration] of this.registered)
      if (!kept.has(symbol)) {
        registration.dispose();
        this.registered.delete(symbol);
      }
  }

  dispose(): void {
    for (const registration of this.registered.values()) registration.dispose();
    this.registered.clear();
  }
}
