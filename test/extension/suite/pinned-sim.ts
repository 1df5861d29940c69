// A simulated gateway inside the extension host with its clock pinned to a
// named moment, so what a test sees never depends on when it runs.
import * as vscode from 'vscode';
import { SimServer } from '../../../src/sim/server';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { marketTime } from '../../support/market-times';
import { configure, failureLogs, waitFor } from './helpers';

/** A regular session for US stocks, futures and forex (Tuesday 10:00 New York). */
export const TUESDAY_OPEN = marketTime('regularSession');

let nextClientId = 300 + Math.floor(Math.random() * 100);

/**
 * Starts a simulator at `start` and connects the extension to it; stop() disconnects and stops it.
 * With `account` (a paper account's DU1234567, say) it stands for a real gateway: the extension
 * knows a simulated one by its DUSIM account.
 */
export async function connectToPinnedSim(api: IbGatewayTestApi, start = TUESDAY_OPEN, account?: string): Promise<{ sim: SimServer; stop(): Promise<void> }> {
  const log: string[] = [];
  const sim = new SimServer({
    host: '127.0.0.1',
    port: 0,
    tickIntervalMs: 100,
    clock: { start },
    account,
    log: (line) => {
      log.push(`${new Date().toISOString()} ${line}`);
      if (log.length > 300) log.splice(0, log.length - 300);
    },
  });
  const { port } = await sim.start();
  const shown = { name: `the pinned simulator (port ${port})`, lines: () => log };
  failureLogs.push(shown);
  await configure({ enabled: true, host: '127.0.0.1', port, clientId: nextClientId++ });
  await vscode.commands.executeCommand('ibGateway.connect');
  await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.port === port, 'ready on the pinned simulator');
  return {
    sim,
    stop: async () => {
      await vscode.commands.executeCommand('ibGateway.disconnect');
      await sim.stop();
      failureLogs.splice(failureLogs.indexOf(shown), 1);
    },
  };
}
