// Restricted Mode: a folder the user has not trusted must not choose the
// connection, connect by itself, start a simulator on a port of its choosing,
// or write the user's settings. Runs only in the launcher's untrusted mode
// (IB_UNTRUSTED=1 node scripts/vscode/run-in-host.mjs), where the workspace's
// .vscode/settings.json points everything at ports the launcher picked and
// every modal dialog is answered "no" (Escape).
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings } from './helpers';

describe('untrusted workspace', function () {
  const hostilePort = Number(process.env.IB_HOSTILE_PORT);
  const squatPort = Number(process.env.IB_SQUAT_PORT);
  let api: IbGatewayTestApi;
  let server: net.Server | undefined;
  const reached: string[] = [];

  before(async function () {
    if (!process.env.IB_TEST_UNTRUSTED) this.skip();
    // the "gateway" the folder points at, listening before the extension activates
    server = net.createServer((socket) => {
      reached.push(`${socket.remoteAddress}:${socket.remotePort}`);
      socket.destroy();
    });
    await new Promise<void>((r) => server!.listen(hostilePort, '127.0.0.1', () => r()));
    api = await getApi();
  });

  after(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    if (process.env.IB_TEST_UNTRUSTED) await resetSettings();
  });

  async function folderSettings(): Promise<string> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the tests run with a workspace folder');
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, '.vscode', 'settings.json')));
  }

  it('runs in a folder that is not trusted, whose settings point elsewhere', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal((JSON.parse(await folderSettings()) as Record<string, unknown>)['jax.ib.port'], hostilePort, 'the folder sets jax.ib.port');
  });

  it("ignores the folder's connection settings", () => {
    const c = vscode.workspace.getConfiguration('jax.ib');
    assert.notEqual(c.get('port'), hostilePort);
    assert.notEqual(c.get('clientId'), 0);
    assert.notEqual(c.get('simulator.port'), squatPort);
    assert.equal(c.get('simulator.autoStart'), false);
    assert.notEqual(api.connection.status.port, hostilePort);
  });

  it('neither connects nor starts a simulated gateway by itself', async () => {
    await api.test.startUp();
    assert.deepEqual(reached, [], 'nothing connected to the port the folder chose');
    assert.equal(api.simulator().running, false, 'no simulated gateway was started');
    assert.ok(['disconnected', 'disabled'].includes(api.connection.status.phase), api.connection.status.phase);
    // the squatted port is still free
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(squatPort, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('does not serve the jax bridge the folder turns on', async () => {
    const bridgePort = Number(process.env.IB_BRIDGE_PORT);
    assert.equal(vscode.workspace.getConfiguration('jax.ib').get('bridge.enabled'), false, 'the folder cannot turn the bridge on');
    await api.test.startUp();
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(bridgePort, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('Import jax Config asks for trust and writes no setting when refused', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const uri = vscode.Uri.joinPath(folder, 'config', 'jax-ingest-ib.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({ ib: { enabled: true, host: '127.0.0.1', port: 4555, client_id: 0 } })));
    const before = await folderSettings();
    try {
      const result = await vscode.commands.executeCommand('ibGateway.importJaxConfig', uri);
      assert.equal(result, undefined);
      const port = vscode.workspace.getConfiguration('jax.ib').inspect('port');
      assert.equal(port?.globalValue, undefined, 'the user settings were not touched');
      assert.equal(await folderSettings(), before, 'the workspace settings were not touched');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'config'), { recursive: true });
    }
  });

  it("Export jax Config asks for trust too and writes nothing into the folder (not the user's connection)", async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const uri = vscode.Uri.joinPath(folder, 'config', 'jax-export-untrusted.json');
    const before = JSON.stringify({ ib: { enabled: true, host: '127.0.0.1', port: 4555, client_id: 0 } });
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(before));
    try {
      assert.equal(await vscode.commands.executeCommand('ibGateway.exportJaxConfig', uri), undefined);
      assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), before, 'the file is as it was');
      assert.equal(await vscode.commands.executeCommand('ibGateway.exportJaxConfig', 'config/jax-new.json'), undefined);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(folder, 'config', 'jax-new.json'))), 'no new file');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'config'), { recursive: true });
    }
  });

  it('a gateway on another computer is confirmed first: refused, no connection is attempted', async () => {
    const phases: string[] = [];
    const sub = api.connection.onStatus((s) => phases.push(`${s.phase} ${s.host}`));
    try {
      await configure({ host: '192.0.2.10', port: 4002 });
      const status = (await vscode.commands.executeCommand('ibGateway.connect')) as { phase: string; host: string };
      assert.deepEqual(
        phases.filter((p) => /^(connecting|reconnecting|failed|ready)/.test(p)),
        [],
        'no connection attempt',
      );
      assert.equal(status.phase, 'disconnected');
    } finally {
      sub.dispose();
      await configure({ host: undefined, port: undefined });
    }
  });
});
