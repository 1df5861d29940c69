import * as vscode from 'vscode';
import { problemText, writeSetting } from './settings';
import type { Services } from './services';
import { showError } from './notify';

export const DISABLED_TEXT = 'IB is disabled: jax.ib.enabled is off, so the extension makes no connection.';

/** False (after saying so, with an Enable button) when IB is disabled in the settings. */
export function requireEnabled(s: Services): boolean {
  if (s.settings.current.enabled) return true;
  s.log.info(`a command was refused: ${DISABLED_TEXT}`);
  void vscode.window.showWarningMessage(DISABLED_TEXT, 'Enable').then((picked) => {
    if (picked === 'Enable') void writeSetting('enabled', true);
  });
  return false;
}

/** False (after saying why) when the connection settings are invalid. */
export function requireValidSettings(s: Services): boolean {
  const problems = s.settings.current.problems.filter((p) => ['jax.ib.host', 'jax.ib.port', 'jax.ib.clientId', 'jax.ib.enabled'].includes(p.setting) || p.setting.startsWith('jax.ib.reconnect'));
  if (!problems.length || s.simulator.running) return true;
  showError(s.log, new Error(`IB cannot connect: ${problems.map(problemText).join(' ')}`), {
    'Open Settings': () => vscode.commands.executeCommand('workbench.action.openSettings', problems[0].setting),
  });
  return false;
}
