import * as vscode from 'vscode';
import type { ConnectionStatus } from '../ib/types';
import { statusView, type StatusView } from './status-view';

/**
 * The connection's status bar item (left, high priority). Renders
 * statusView(); while reconnecting it ticks once a second for the countdown.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;
  private view: StatusView | undefined;
  /** The count of streaming lines last rendered. */
  private shownStreaming = -1;

  constructor(
    private readonly status: () => ConnectionStatus,
    private readonly streaming: () => number,
    /** Symbols in the watchlist (the tooltip tells them from the lines open charts hold). */
    private readonly watchlistRows?: () => number,
  ) {
    this.item = vscode.window.createStatusBarItem('ibGateway.status', vscode.StatusBarAlignment.Left, 1000);
    this.item.name = 'IB Gateway Connection';
    this.item.command = 'ibGateway.showMenu';
    this.render();
    this.item.show();
  }

  /** The current text, for tests and logs. */
  get text(): string {
    return this.view?.text ?? '';
  }

  get tooltip(): string {
    return this.view?.tooltip ?? '';
  }

  get severity(): StatusView['severity'] {
    return this.view?.severity ?? 'normal';
  }

  /** Renders again only if the count of streaming lines changed (asked as rows change, up to four times a second). */
  renderIfStreamingChanged(): void {
    if (this.streaming() !== this.shownStreaming) this.render();
  }

  render(): void {
    const s = this.status();
    this.shownStreaming = this.streaming();
    const view = statusView(s, this.shownStreaming, Date.now(), this.watchlistRows?.());
    const before = this.view;
    this.view = view;
    this.tick(s.phase === 'reconnecting' && s.nextAttemptAt !== undefined);
    // every change of an item is sent to the window: nothing is sent when nothing changed (the watchlist asks up to 4 times a second)
    if (before && before.text === view.text && before.tooltip === view.tooltip && before.severity === view.severity) return;
    this.item.text = view.text;
    const md = new vscode.MarkdownString(view.tooltip, true);
    md.isTrusted = false;
    this.item.tooltip = md;
    this.item.backgroundColor =
      view.severity === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : view.severity === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.accessibilityInformation = { label: view.text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
  }

  private tick(on: boolean): void {
    if (on && !this.timer) {
      this.timer = setInterval(() => this.render(), 1000);
    } else if (!on && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    this.tick(false);
    this.item.dispose();
  }
}
