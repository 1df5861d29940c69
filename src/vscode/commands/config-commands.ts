import * as vscode from 'vscode';
import { parseJaxConfig, toJaxConfig, validateSettings, type JaxIbBlock } from '../../ib/config';
import { configSymbols, hostToExport, hostToImport, offerSymbols } from '../jax-import-extras';
import { configFileProblem, defaultJaxConfig, fileArg, findJaxConfigs, pickJaxConfig, readText } from '../jax-config-files';
import { showError, showInfo, showWarning } from '../notify';
import type { Services } from '../services';
import { SECTION } from '../settings';
import { askModal } from '../trust';

/** False in Restricted Mode, after saying why in a modal with the way to trust the folder. */
async function trusted(s: Services, what: 'Import' | 'Export', detail: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  // (requestWorkspaceTrust is not in VS Code's stable API: the person is sent to the trust editor.)
  const manage = 'Manage Workspace Trust';
  const picked = await askModal(`${what} jax Config needs a trusted workspace.`, { modal: true, detail }, manage);
  s.log.info(`${what} jax Config refused: the workspace is not trusted`);
  if (picked === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

/**
 * IB: Import jax Config. Reads the "ib" block of a workspace jax config file
 * into the workspace's jax.ib.* settings (never the user's own); writes
 * nothing unless every field is valid and the workspace is trusted (the
 * connection settings are ignored in an untrusted one).
 */
export async function importJaxConfigCommand(s: Services, arg?: unknown): Promise<JaxIbBlock | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    showError(
      s.log,
      new Error('Open the folder that holds the jax config first: Import writes its IB settings into that workspace, not into your user settings.'),
    );
    return undefined;
  }
  if (
    !(await trusted(s, 'Import', 'Importing lets this folder choose which gateway IB connects to. Trust the folder, then import again. Nothing was imported.'))
  )
    return undefined;
  let uri = fileArg(arg);
  if (arg !== undefined && !uri) {
    showError(s.log, new Error('Import jax Config expects a file path or URI of a jax config file.'));
    return undefined;
  }
  if (!uri) {
    const files = await findJaxConfigs();
    if (!files.length) {
      showError(s.log, new Error('No jax config file found: expected config/*.json in the workspace (such as config/jax-ingest-ib.json).'));
      return undefined;
    }
    uri = await pickJaxConfig(files, 'IB: Import jax Config');
    if (!uri) return undefined;
  }
  const name = vscode.workspace.asRelativePath(uri);
  const problem = await configFileProblem(uri);
  if (problem) {
    showError(s.log, new Error(`${problem}. Nothing was imported.`));
    return undefined;
  }
  const text = await readText(uri).catch((e: unknown) => {
    showError(s.log, new Error(`${e instanceof Error ? e.message : String(e)}. Nothing was imported.`));
    return null;
  });
  if (text === null) return undefined;
  if (text === undefined) {
    showError(s.log, new Error(`${name} could not be read.`));
    return undefined;
  }
  const parsed = parseJaxConfig(text);
  if (!parsed.ib || parsed.problems.length) {
    showError(s.log, new Error(`${name}: ${parsed.problems.join('; ')}. Nothing was imported.`));
    return undefined;
  }
  const ib = parsed.ib;
  const check = validateSettings({ enabled: ib.enabled, host: ib.host, port: ib.port, clientId: ib.client_id });
  if (!check.settings) {
    showError(s.log, new Error(`${name}: ${check.problems.map((p) => p.message).join('; ')}. Nothing was imported.`));
    return undefined;
  }
  const host = await hostToImport(ib.host, name);
  if (host === undefined) return undefined;
  // a container-only host replaced by 127.0.0.1 needs no warning about a remote host
  for (const w of parsed.warnings) if (host === ib.host || !w.startsWith('ib.host')) showWarning(s.log, `${name}: ${w}`);
  ib.host = host;
  // one block, one change: a live connection switches once, not once per field
  const workspace = vscode.workspace.getConfiguration(SECTION);
  await s.settings.batch(async () => {
    for (const [key, value] of [
      ['host', ib.host],
      ['port', ib.port],
      ['clientId', ib.client_id],
      ['enabled', ib.enabled],
    ] as const) {
      await workspace.update(key, value, vscode.ConfigurationTarget.Workspace);
    }
  });
  showInfo(
    s.log,
    `Imported the IB settings from ${name} into the workspace settings: ${ib.host}:${ib.port}, client id ${ib.client_id}, ${ib.enabled ? 'enabled' : 'disabled'}.`,
  );
  await offerSymbols(s, configSymbols(text), name);
  return ib;
}

/**
 * IB: Export jax Config. Writes jax.ib.* into a jax config file's "ib" block,
 * keeping its other keys; creates config/jax-ingest-ib.json when there is none.
 * Refused in Restricted Mode, as Import is.
 */
export async function exportJaxConfigCommand(s: Services, arg?: unknown): Promise<string | undefined> {
  // a folder not trusted gets none of the user's connection (a host confirmed on another computer, say) written into it
  const detail = 'Exporting writes your IB connection settings into a file of this folder. Trust the folder, then export again. Nothing was written.';
  if (!(await trusted(s, 'Export', detail))) return undefined;
  const settings = s.settings.current.connection;
  if (!settings) {
    showError(s.log, new Error(`The IB settings are invalid, so nothing was exported: ${s.settings.current.problems.map((p) => p.message).join('; ')}`));
    return undefined;
  }
  let uri = fileArg(arg);
  if (arg !== undefined && !uri) {
    showError(s.log, new Error('Export jax Config expects a file path or URI.'));
    return undefined;
  }
  if (!uri) {
    const files = await findJaxConfigs();
    const fallback = defaultJaxConfig();
    if (!files.length && !fallback) {
      showError(s.log, new Error('Open a folder first: the jax config is written to config/jax-ingest-ib.json in the workspace.'));
      return undefined;
    }
    uri = files.length ? await pickJaxConfig(files, 'IB: Export jax Config', fallback) : fallback;
    if (!uri) return undefined;
  }
  const name = vscode.workspace.asRelativePath(uri);
  const problem = await configFileProblem(uri);
  if (problem) {
    showError(s.log, new Error(`${problem}. Nothing was exported.`));
    return undefined;
  }
  let existing: string | undefined;
  let text: string;
  try {
    existing = await readText(uri);
    const fileHost = existing === undefined ? undefined : parseJaxConfig(existing).ib?.host;
    const host = hostToExport(fileHost, settings.host);
    if (host !== settings.host) s.log.info(`${name}: ib.host stays ${host}, the name jax services in containers use for this machine`);
    text = toJaxConfig(existing, { ...settings, host });
  } catch (e) {
    showError(s.log, new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`));
    return undefined;
  }
  if (text === existing) {
    showInfo(s.log, `${name} already holds these IB settings; it was left as it is.`);
    return text;
  }
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  showInfo(s.log, `Exported the IB settings to ${name}.`);
  return text;
}
