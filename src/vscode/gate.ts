import * as vscode from 'vscode';
import { problemText, writeSetting } from './settings';
import type { Services } from './services';
import { showError } from './notify';

export const DISABLED_TEXT = 'IB is disabled: jax.ib.enabled is off, so the extension makes no connection.';

/** How long the Enable button waits for the connection to take the setting before it resumes the command. */
const ENABLE_WAIT_MS = 10_000;

/**
 * False (after saying so, with an Enable button) when IB is disabled in the settings.
 * `resume` is the command that asked: Enable turns IB on and then runs it again.
 */
export function requireEnabled(s: Services, resume?: () => unknown): boolean {
  if (s.settings.current.enabled) return true;
  s.log.info(`a command was refused: ${DISABLED_TEXT}`);
  void vscode.window.showWarningMessage(DISABLED_TEXT, 'Enable').then(async (picked) => {
    if (picked !== 'Enable') return;
    await writeSetting('enabled', true);
    if (!resume) return;
    if (!(await enabledTaken(s))) {
      s.log.warn('IB was enabled but the connection did not take the setting in time: run the command again');
      return;
    }
    s.log.info('IB enabled: resuming the command that asked');
    await resume();
  });
  return false;
}

/** Resolves true once the settings and the connection both say IB is enabled. */
function enabledTaken(s: Services): Promise<boolean> {
  const taken = () => s.settings.current.enabled && s.connection.status.phase !== 'disabled';
  if (taken()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sub.dispose();
      statusSub.dispose();
      resolve(ok);
    };
    const check = () => taken() && done(true);
    const sub = vscode.workspace.onDidChangeConfiguration(() => setTimeout(check, 0));
    const statusSub = s.connection.onStatus(check);
    const timer = setTimeout(() => done(taken()), ENABLE_WAIT_MS);
  });
}

/** False (after saying why) when the connection settings are invalid. */
export function requireValidSettings(s: Services): boolean {
  const problems = s.settings.current.problems.filter(
    (p) => ['jax.ib.host', 'jax.ib.port', 'jax.ib.clientId', 'jax.ib.enabled'].includes(p.setting) || p.setting.startsWith('jax.ib.reconnect'),
  );
  if (!problems.length || s.simulator.running) return true;
  showError(s.log, new Error(`IB cannot connect: ${problems.map(problemText).join(' ')}`), {
    'Open Settings': () => vscode.commands.executeCommand('workbench.action.openSettings', problems[0].setting),
  });
  return false;
}
