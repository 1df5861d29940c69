// What a chart without bars says while not connected: what the connection waits for, never a Connect while it tries.
import * as assert from 'node:assert/strict';
import type { ConnectionStatus } from '../../src/ib/types';
import { notConnectedStatus } from '../../src/vscode/chart-messages';

const at = (over: Partial<ConnectionStatus>): ConnectionStatus =>
  ({ phase: 'disconnected', host: '127.0.0.1', port: 4002, clientId: 3, farms: {}, ibLink: 'ok', ...over }) as ConnectionStatus;

describe('a chart without bars, not connected', () => {
  it('while connecting: connecting (no countdown: there is none yet)', () => {
    assert.equal(notConnectedStatus(at({ phase: 'connecting' })), 'Connecting to IB Gateway/TWS at 127.0.0.1:4002: the chart loads once connected.');
  });

  it('while waiting to try again: waiting, with the status bar counting down', () => {
    assert.match(
      notConnectedStatus(at({ phase: 'reconnecting', attempt: 2 })),
      /^Waiting for IB Gateway\/TWS at 127\.0\.0\.1:4002 \(the status bar counts down\)/,
    );
  });

  it('a client id in use: says so and the way out, whether still trying or stopped', () => {
    const clash = { code: 326, message: 'in use' } as ConnectionStatus['error'];
    for (const phase of ['reconnecting', 'failed'] as const)
      assert.match(notConnectedStatus(at({ phase, error: clash })), /^Not connected: client id 3 is in use .* IB: Use Next Client Id/);
  });

  it('not trying: what to do', () => {
    assert.equal(notConnectedStatus(at({ phase: 'disconnected' })), 'Not connected to IB. Connect, or start the simulated gateway.');
  });
});
