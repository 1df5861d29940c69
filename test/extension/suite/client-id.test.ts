// The client id the extension chose (Use Next Client Id) against settings that
// change around it, and Import jax Config switching a live connection in one step.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ConnectionManager } from '../../../src/ib/connection';
import { SimServer } from '../../../src/sim/server';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, runAndAccept, waitFor } from './helpers';
import { marketTime } from '../../support/market-times';

const SESSION = marketTime('regularSession');

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the tests run with a workspace folder');
  return f.uri;
}

describe('client id chosen by the extension', function () {
  let api: IbGatewayTestApi;
  let gateway: SimServer;
  let holder: ConnectionManager;
  let port: number;
  const phases: string[] = [];
  let sub: vscode.Disposable | undefined;

  before(async () => {
    api = await getApi();
    await vscode.commands.executeCommand('ibGateway.disconnect');
    // standing for a real gateway (a paper account's name; a DUSIM one is shown as simulated)
    gateway = new SimServer({ clock: { start: SESSION }, tickIntervalMs: 100, account: 'DU7654321' });
    await gateway.start();
    port = gateway.address!.port;
    // another API client (a Go service, say) holds client id 9 on that gateway
    holder = new ConnectionManager({ enabled: true, host: '127.0.0.1', port, clientId: 9 });
    await holder.connect();
  });

  after(async () => {
    sub?.dispose();
    await vscode.commands.executeCommand('ibGateway.disconnect');
    holder.dispose();
    await gateway.stop();
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder(), 'config', 'jax-client-id.json')).then(undefined, () => undefined);
    await resetSettings();
  });

  it('after Use Next Client Id, dragging a watchlist row and other settings keep the connection on the chosen id', async () => {
    await configure({ enabled: true, host: '127.0.0.1', port, clientId: 9, watchlist: ['AAPL', 'MSFT', 'SPY'], autoConnect: false });
    await vscode.commands.executeCommand('ibGateway.connect');
    await waitFor(() => api.connection.status.phase === 'failed' && api.connection.status.error?.code === 326, 'the client id clash (326)');
    // the status bar's menu offers it first (as does the clash's error message)
    await runAndAccept('ibGateway.showMenu');
    await waitFor(() => api.connection.status.phase === 'ready', 'ready on the next client id');
    assert.equal(api.connection.status.clientId, 10);
    sub = api.connection.onStatus((s) => phases.push(`${s.phase}:${s.clientId}`));

    assert.deepEqual(await api.test.dragAndDrop(['AAPL'], 'SPY'), ['MSFT', 'SPY', 'AAPL']);
    await waitFor(() => api.settings().watchlist.join() === 'MSFT,SPY,AAPL', 'the new order applied');
    await configure({ marketDataType: 'delayed' });
    await waitFor(() => api.settings().marketDataType === 'delayed', 'the market data type applied');
    await configure({ marketDataType: undefined });

    assert.equal(api.connection.status.phase, 'ready', `still ready (phases: ${phases.join(' ')})`);
    assert.equal(api.connection.status.clientId, 10);
    assert.deepEqual(
      phases.filter((p) => !p.startsWith('ready')),
      [],
      'no reconnect for an unrelated setting',
    );
    assert.equal(holder.status.phase, 'ready', 'the other client keeps its id');
  });

  it('a client id typed into the settings is used: the chosen one gives way', async () => {
    phases.length = 0;
    await configure({ clientId: 12 });
    await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.clientId === 12, 'ready as client 12');
    assert.deepEqual(
      phases.filter((p) => p.startsWith('connecting')),
      ['connecting:12'],
      'one new connection',
    );
  });

  it('Import jax Config switches a live connection in one step: one new connection to the new host, port and id', async () => {
    const other = new SimServer({ clock: { start: SESSION }, tickIntervalMs: 100 });
    await other.start();
    try {
      const uri = vscode.Uri.joinPath(folder(), 'config', 'jax-client-id.json');
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder(), 'config'));
      await vscode.workspace.fs.writeFile(
        uri,
        new TextEncoder().encode(JSON.stringify({ ib: { enabled: true, host: 'localhost', port: other.address!.port, client_id: 21 } })),
      );
      phases.length = 0;
      const imported = await vscode.commands.executeCommand('ibGateway.importJaxConfig', uri);
      assert.ok(imported, 'imported');
      await waitFor(
        () => api.connection.status.phase === 'ready' && api.connection.status.port === other.address!.port && api.connection.status.clientId === 21,
        'ready on the imported gateway',
      );
      assert.deepEqual(
        phases.filter((p) => p.startsWith('connecting')),
        ['connecting:21'],
        `one new connection (phases: ${phases.join(' ')})`,
      );
      assert.equal(api.connection.status.host, 'localhost');
      await waitFor(() => gateway.clientCount() === 1, 'the old gateway keeps only the other client');
    } finally {
      await vscode.commands.executeCommand('ibGateway.disconnect');
      await other.stop();
    }
  });

  it('at start-up (a reloaded window whose old session the gateway still holds) a client id in use is tried again until it is free', async () => {
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await resetSettings(); // the import before wrote the workspace's
    const old = new ConnectionManager({ enabled: true, host: '127.0.0.1', port, clientId: 33 });
    await old.connect();
    try {
      await configure({ host: '127.0.0.1', port, clientId: 33, autoConnect: true, 'reconnect.initialDelayMs': 200, 'reconnect.maxDelayMs': 1000 });
      await api.test.startUp();
      await waitFor(() => api.connection.status.phase === 'reconnecting' && api.connection.status.error?.code === 326, 'trying again after 326, not failed');
      // the old session ends: the next attempt gets the id
      await old.disconnect();
      await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.clientId === 33, 'ready on its own id once free', 30_000);
    } finally {
      old.dispose();
      await vscode.commands.executeCommand('ibGateway.disconnect');
      await configure({ autoConnect: undefined, 'reconnect.initialDelayMs': undefined, 'reconnect.maxDelayMs': undefined });
    }
  });

  it('two windows on one client id: the second says so, not "waiting for a gateway", and the id Use Next Client Id chose survives a restart', async () => {
    await vscode.commands.executeCommand('ibGateway.disconnect');
    // another VS Code window holds client id 40 on the gateway (this one has been connected before: start-up is quiet)
    const other = new ConnectionManager({ enabled: true, host: '127.0.0.1', port, clientId: 40 });
    await other.connect();
    try {
      await configure({
        host: '127.0.0.1',
        port,
        clientId: 40,
        autoConnect: true,
        watchlist: ['AAPL'],
        'reconnect.initialDelayMs': 200,
        'reconnect.maxDelayMs': 1000,
      });
      await api.test.startUp();
      await waitFor(() => api.connection.status.phase === 'reconnecting' && (api.connection.status.attempt ?? 0) >= 2, 'tried again after 326');
      assert.match(api.statusText(), /^IB \$\(sync~spin\) client id 40 in use \(/);
      const message = api.test.watchlistMessage() ?? '';
      assert.match(message, /Client id 40 is in use at 127\.0\.0\.1:\d+: another VS Code window or program/);
      assert.doesNotMatch(message, /Waiting for IB Gateway|Start Simulated Gateway/, 'the gateway is there: no simulator is offered');
      await waitFor(
        () => api.test.recentLog().some((l) => l.includes('Client id 40 is in use') && l.includes('Trying again in the background')),
        'the lasting clash said on screen, once',
      );
      // the way out it offers
      await vscode.commands.executeCommand('ibGateway.useNextClientId');
      await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.clientId === 41, 'ready as client 41');
      // a restart: what the window chose in memory is gone (a new client id and back drops it too), the workspace remembers it
      await vscode.commands.executeCommand('ibGateway.disconnect');
      await configure({ clientId: 39 });
      await waitFor(() => api.settings().connection?.clientId === 39, 'client id 39 applied');
      await configure({ clientId: 40 });
      await waitFor(
        () => api.settings().connection?.clientId === 40 && api.connection.status.clientId === 40,
        'client id 40 again, the choice forgotten in memory',
      );
      phases.length = 0;
      await api.test.startUp();
      await waitFor(() => api.connection.status.phase === 'ready', 'ready after the restart');
      assert.equal(api.connection.status.clientId, 41);
      assert.deepEqual(
        phases.filter((p) => p.startsWith('connecting') || p.startsWith('reconnecting')),
        ['connecting:41'],
        'straight to the id chosen before, no clash',
      );
    } finally {
      other.dispose();
      await vscode.commands.executeCommand('ibGateway.disconnect');
      await configure({ autoConnect: undefined, watchlist: undefined, 'reconnect.initialDelayMs': undefined, 'reconnect.maxDelayMs': undefined });
    }
  });
});
