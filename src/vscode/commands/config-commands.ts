import * as vscode from 'vscode';
import { parseJaxConfig, toJaxConfig, validateSettings, type JaxIbBlock } from '../../ib/config';
import { defaultJaxConfig, fileArg, findJaxConfigs, pickJaxConfig, readText } from '../jax-config-files';
import { showError, showInfo, showWarning } from '../notify';
import type { Services } from '../services';
import { writeSetting } from '../settings';

const MAX_CONFIG_BYTES = 1_000_000;

/**
 * IB: Import jax Config. Reads the "ib" block of a workspace jax config file
 * into jax.ib.*; writes nothing unless every field is valid.
 */
export async function importJaxConfigCommand(s: Services, arg?: unknown): Promise<JaxIbBlock | undefined> {
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
  const text = await readText(uri);
  if (text === undefined) {
    showError(s.log, new Error(`${name} could not be read.`));
    return undefined;
  }
  if (text.length > MAX_CONFIG_BYTES) {
    showError(s.log, new Error(`${name} is larger than ${MAX_CONFIG_BYTES} bytes; it is not a jax config. Nothing was imported.`));
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
  for (const w of parsed.warnings) showWarning(s.log, `${name}: ${w}`);
  await writeSetting('host', ib.host);
  await writeSetting('port', ib.port);
  await writeSetting('clientId', ib.client_id);
  await writeSetting('enabled', ib.enabled);
  showInfo(s.log, `Imported the IB settings from ${name}: ${ib.host}:${ib.port}, client id ${ib.client_id}, ${ib.enabled ? 'enabled' : 'disabled'}.`);
  return ib;
}

/**
 * IB: Export jax Config. Writes jax.ib.* into a jax config file's "ib" block,
 * keeping its other keys; creates config/jax-ingest-ib.json when there is none.
 */
export async function exportJaxConfigCommand(s: Services, arg?: unknown): Promise<string | undefined> {
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
  const existing = await readText(uri);
  let text: string;
  try {
    text = toJaxConfig(existing, settings);
  } catch (e) {
    showError(s.log, new Error(`${name}: ${e instanceof Error ? e.message : String(e)}`));
    return undefined;
  }
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  showInfo(s.log, `Exported the IB settings to ${name}.`);
  return text;
}
