import * as vscode from 'vscode';

/** jax config files in the workspace: config/*.json anywhere (node_modules aside). */
export async function findJaxConfigs(): Promise<vscode.Uri[]> {
  if (!vscode.workspace.workspaceFolders?.length) return [];
  const found = await vscode.workspace.findFiles('**/config/*.json', '**/node_modules/**', 200);
  return found.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/** A file argument: a Uri, or a path (relative ones to the first workspace folder). */
export function fileArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg.trim() !== '' && arg.length < 4096 && !arg.includes('\0')) {
    const text = arg.trim();
    if (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text)) return vscode.Uri.file(text);
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, text) : undefined;
  }
  return undefined;
}

/** The default place for a new export. */
export function defaultJaxConfig(): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, 'config', 'jax-ingest-ib.json') : undefined;
}

export async function pickJaxConfig(files: vscode.Uri[], title: string, extra?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const items = files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }));
  if (extra && !files.some((f) => f.toString() === extra.toString())) items.push({ label: `$(new-file) ${vscode.workspace.asRelativePath(extra)}`, uri: extra });
  if (items.length === 1 && !extra) return items[0].uri;
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Which jax config file?' });
  return picked?.uri;
}

export async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
