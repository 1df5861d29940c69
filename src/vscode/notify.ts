import * as vscode from 'vscode';
import { IbError } from '../ib/errors';
import { plainText } from '../ib/text';
import { errorCode, errorText } from './error-text';

/**
 * Shows an error without waiting for the person to dismiss it (commands that
 * tests drive must not block on a notification), logs it, and runs the
 * chosen action if one is picked later.
 */
export function showError(log: vscode.LogOutputChannel, error: unknown, actions: Record<string, () => unknown> = {}): string {
  // notifications render [text](target) links: nothing from outside may make one
  const text = plainText(errorText(error));
  const code = errorCode(error);
  log.error(code !== undefined ? `[${code}] ${text}` : text);
  // the code, to look up in the README's troubleshooting table: IB's, or the extension's own (9001 on)
  const local = error instanceof IbError && error.info.source === 'local';
  const shown = code !== undefined ? `${text} (${local ? '' : 'IB '}${code})` : text;
  void vscode.window.showErrorMessage(shown, ...Object.keys(actions)).then((picked) => {
    if (picked) void actions[picked]();
  });
  return text;
}

export function showInfo(log: vscode.LogOutputChannel, text: string, actions: Record<string, () => unknown> = {}): void {
  text = plainText(text);
  log.info(text);
  void vscode.window.showInformationMessage(text, ...Object.keys(actions)).then((picked) => {
    if (picked) void actions[picked]();
  });
}

export function showWarning(log: vscode.LogOutputChannel, text: string, actions: Record<string, () => unknown> = {}): void {
  text = plainText(text);
  log.warn(text);
  void vscode.window.showWarningMessage(text, ...Object.keys(actions)).then((picked) => {
    if (picked) void actions[picked]();
  });
}
