import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // wiring comes with the VS Code layer
}

export function deactivate(): void {
  // nothing yet
}
