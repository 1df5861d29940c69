// Shared by the in-host suites: the extension's API, settings, waiting, and
// the simulator the launcher started (IB_SIM_PORT) or the built-in one.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { marketTime } from '../../support/market-times';

export const EXTENSION_ID = 'jax-tools.ib-gateway-vscode';

export async function getApi(): Promise<IbGatewayTestApi> {
  const ext = vscode.extensions.getExtension<IbGatewayTestApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  assert.ok(api && typeof api.statusText === 'function', 'activate() returns the extension API');
  assert.ok(api.test, 'the test hooks are there: the extension runs in ExtensionMode.Test');
  return api;
}

/** Writes jax.ib.* user settings (undefined removes a key) and lets the extension apply them. */
export async function configure(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('jax.ib');
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
  await sleep(100);
}

export const SETTING_KEYS = [
  'enabled',
  'host',
  'port',
  'clientId',
  'autoConnect',
  'watchlist',
  'marketDataType',
  'chart.defaultBarSize',
  'chart.defaultDuration',
];

/** Removes every jax.ib.* value the tests set, in the user settings and (Import writes there) the workspace's. */
export async function resetSettings(): Promise<void> {
  const config = vscode.workspace.getConfiguration('jax.ib');
  for (const key of SETTING_KEYS) {
    if (config.inspect(key)?.workspaceValue !== undefined) await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
  }
  await configure(Object.fromEntries(SETTING_KEYS.map((k) => [k, undefined])));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls until `probe` returns something truthy; fails with `what` and the last value after the time limit. */
/** Runs a command and accepts the first item of its quick pick once it shows. */
export async function runAndAccept(command: string): Promise<unknown> {
  let settled = false;
  const result = Promise.resolve(vscode.commands.executeCommand(command)).finally(() => (settled = true));
  for (let i = 0; i < 60 && !settled; i++) {
    await sleep(250);
    if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}

export async function waitFor<T>(probe: () => T | undefined | null | false, what: string | (() => string), timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = probe();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until)
      assert.fail(`timed out waiting for ${typeof what === 'string' ? what : what()} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(50);
  }
}

// (this file is bundled into every suite's file: what is shared lives on globalThis, and the hook is added once)
const shared = globalThis as { ibFailureLogs?: Array<{ name: string; lines(): string[] }> };

/** More to print when a case fails (e.g. a simulator's own log), added by what starts it. */
export const failureLogs = shared.ibFailureLogs ?? [];

// a case that fails prints the extension's last log lines and the simulators' with it: a timeout alone says
// nothing of whether the gateway stopped answering or the window stopped drawing
if (!shared.ibFailureLogs) {
  shared.ibFailureLogs = failureLogs;
  afterEach(printLogsOnFailure);
}

function printLogsOnFailure(this: Mocha.Context): void {
  if (this.currentTest?.state !== 'failed') return;
  const ext = vscode.extensions.getExtension<IbGatewayTestApi>(EXTENSION_ID);
  const logs = [{ name: 'the extension', lines: () => (ext?.isActive ? (ext.exports.test?.recentLog() ?? []) : []) }, ...failureLogs];
  for (const log of logs) {
    const lines = log.lines().slice(-120);
    if (lines.length) console.log(`    --- ${log.name}'s last ${lines.length} log lines ---\n${lines.map((l) => `    ${l}`).join('\n')}`);
  }
}

/** The suite's simulated market time (the launcher names it in IB_SIM_START); a regular session otherwise. */
export function suiteMarketTime(): number {
  const t = Date.parse(process.env.IB_SIM_START ?? '');
  return Number.isFinite(t) ? t : marketTime('regularSession');
}

export function simPort(): number | undefined {
  const p = Number(process.env.IB_SIM_PORT);
  return Number.isInteger(p) && p > 0 ? p : undefined;
}

let nextClientId = 40 + Math.floor(Math.random() * 100);

/**
 * Points the extension at the launcher's simulator (a client id of its own)
 * and connects; without one, starts the built-in simulated gateway.
 */
export async function connectToSim(api: IbGatewayTestApi): Promise<void> {
  const port = simPort();
  if (port === undefined) {
    await vscode.commands.executeCommand('ibGateway.startSimulator');
  } else {
    await configure({ enabled: true, host: process.env.IB_SIM_HOST || '127.0.0.1', port, clientId: nextClientId++ });
    await vscode.commands.executeCommand('ibGateway.connect');
  }
  await waitFor(() => api.connection.status.phase === 'ready', 'the connection to be ready');
}

/** A port with nothing listening: bound and closed again. */
export async function deadPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
