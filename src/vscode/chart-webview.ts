import * as vscode from 'vscode';
import { makeNonce, renderChartHtml } from '../../media/chart/html';

/** Where a chart webview may load files from. */
export function localRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** The chart page, with a fresh nonce for its scripts. */
export function chartHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return renderChartHtml({
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'chart.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chart', 'chart.css')).toString(),
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    title,
  });
}
