import { lstat, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { quickInputOpening } from './quick-input-calm';

/** A jax config is a small JSON file; anything larger is refused before it is read. */
export const MAX_CONFIG_BYTES = 1_000_000;

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
  const items: Array<vscode.QuickPickItem & { uri: vscode.Uri }> = files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }));
  if (extra && !files.some((f) => f.toString() === extra.toString()))
    items.push({ label: vscode.workspace.asRelativePath(extra), iconPath: new vscode.ThemeIcon('new-file'), uri: extra });
  if (items.length === 1 && !extra) return items[0].uri;
  await quickInputOpening();
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Which jax config file?' });
  return picked?.uri;
}

/**
 * A config file's text; undefined when there is no such file. A file that cannot be read, or is not UTF-8, is an
 * error (an Export would otherwise write over what it could not read).
 */
export async function readText(uri: vscode.Uri): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    throw new Error(`${vscode.workspace.asRelativePath(uri)} could not be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${vscode.workspace.asRelativePath(uri)} is not UTF-8 text`);
  }
}

function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The nearest existing path at or above `p` (a file to be created lives in a folder that may not exist yet). */
async function existingAncestor(p: string): Promise<string> {
  for (let cur = p; ; cur = path.dirname(cur)) {
    try {
      await lstat(cur);
      return cur;
    } catch {
      if (path.dirname(cur) === cur) return cur;
    }
  }
}

/**
 * Why a jax config file may not be read or written, or undefined when it may:
 * it must lie inside a workspace folder (no absolute path or `..` out of it),
 * must not be a symbolic link nor reached through one, must be a regular file
 * when it exists, and no larger than MAX_CONFIG_BYTES (checked before reading).
 */
export async function configFileProblem(uri: vscode.Uri): Promise<string | undefined> {
  const name = uri.scheme === 'file' ? uri.fsPath : uri.toString();
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = folders.find(
    (f) =>
      f.uri.scheme === uri.scheme &&
      f.uri.authority === uri.authority &&
      inside(f.uri.scheme === 'file' ? f.uri.fsPath : f.uri.path, uri.scheme === 'file' ? path.resolve(uri.fsPath) : path.posix.normalize(uri.path)),
  );
  if (!folder) return `${name} is outside the workspace folder; jax config files are read and written only inside it`;
  let stat: vscode.FileStat | undefined;
  if (uri.scheme === 'file') {
    const file = path.resolve(uri.fsPath);
    const link = await lstat(file).catch(() => undefined);
    if (link?.isSymbolicLink()) return `${vscode.workspace.asRelativePath(uri)} is a symbolic link; it is not followed`;
    const [realFolder, realTarget] = await Promise.all([realpath(folder.uri.fsPath), existingAncestor(file).then((p) => realpath(p))]);
    if (!inside(realFolder, realTarget)) return `${vscode.workspace.asRelativePath(uri)} lies behind a symbolic link that leads out of the workspace folder`;
    if (link && !link.isFile()) return `${vscode.workspace.asRelativePath(uri)} is not a regular file`;
    if (link) stat = { type: vscode.FileType.File, size: link.size, ctime: 0, mtime: 0 };
  } else {
    stat = await vscode.workspace.fs.stat(uri).then(
      (s) => s,
      () => undefined,
    );
    if (stat && stat.type & vscode.FileType.SymbolicLink) return `${vscode.workspace.asRelativePath(uri)} is a symbolic link; it is not followed`;
    if (stat && !(stat.type & vscode.FileType.File)) return `${vscode.workspace.asRelativePath(uri)} is not a regular file`;
  }
  if (stat && stat.size > MAX_CONFIG_BYTES) return `${vscode.workspace.asRelativePath(uri)} is larger than ${MAX_CONFIG_BYTES} bytes; it is not a jax config`;
  return undefined;
}
