// IB: Start Bridge / Stop Bridge and jax.ib.bridge.*: the jax bridge inside the
// editor serves the editor's own connection (one line per symbol, shared with
// the watchlist) on 127.0.0.1.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as vscode from 'vscode';
import { Bridge } from '../../../src/bridge/server';
import { CandleService } from '../../../src/ib/candles';
import { ConnectionManager } from '../../../src/ib/connection';
import { ContractService } from '../../../src/ib/contracts';
import { QuoteService } from '../../../src/ib/quotes';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, waitFor } from './helpers';

function get(url: string, method = 'GET'): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('jax bridge in the editor', function () {
  let api: IbGatewayTestApi;
  const port = 20000 + Math.floor(Math.random() * 20000);

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['AAPL'], 'bridge.port': port });
    await vscode.commands.executeCommand('ibGateway.startSimulator');
    await waitFor(() => api.connection.status.phase === 'ready', 'ready on the simulated gateway');
  });

  after(async () => {
    await vscode.commands.executeCommand('ibGateway.stopBridge');
    await vscode.commands.executeCommand('ibGateway.stopSimulator');
    await configure({ 'bridge.port': undefined, 'bridge.enabled': undefined });
    await resetSettings();
  });

  it('IB: Start Bridge serves the editor connection on 127.0.0.1; a watched symbol keeps one line', async () => {
    const url = (await vscode.commands.executeCommand('ibGateway.startBridge')) as string;
    assert.equal(url, `http://127.0.0.1:${port}`);
    const h = await get(`${url}/health`);
    assert.equal(h.status, 200);
    assert.equal(h.json.connected, true);
    await waitFor(() => api.watchlist.rows().every((r) => r.quote?.bid !== undefined), 'the watchlist streaming');
    const q = await get(`${url}/quotes/AAPL`);
    assert.equal(q.status, 200);
    assert.equal(q.json.symbol, 'AAPL');
    const lines = api.test
      .simulatorServer()!
      .activeMarketData()
      .filter((l) => l.conId === 265598);
    assert.equal(lines.length, 1, 'the editor and the bridge share the AAPL line');
    assert.equal(lines[0].clientId, api.connection.status.clientId, 'on the editor client id');
    const c = await get(`${url}/connect`, 'POST');
    assert.equal(c.json.success, true, 'POST /connect reports the editor connection');
    const d = await get(`${url}/disconnect`, 'POST');
    assert.equal(d.json.success, false, 'the editor owns its connection');
    assert.equal(api.connection.status.phase, 'ready');
  });

  it('IB: Stop Bridge stops serving; jax.ib.bridge.enabled starts it again', async () => {
    await vscode.commands.executeCommand('ibGateway.stopBridge');
    await assert.rejects(get(`http://127.0.0.1:${port}/health`));
    await configure({ 'bridge.enabled': true });
    const h = await waitForHealth(port);
    assert.equal(h.status, 200);
    await configure({ 'bridge.enabled': false });
    await waitForClosed(port);
  });

  it('started by IB: Start Bridge with the setting off: a new port moves it, and no setting change stops it', async () => {
    await vscode.commands.executeCommand('ibGateway.startBridge');
    assert.equal((await get(`http://127.0.0.1:${port}/health`)).status, 200);
    const other = port + 1;
    await configure({ 'bridge.port': other });
    assert.equal((await waitForHealth(other)).status, 200, 'it serves on the new port');
    await waitForClosed(port);
    await configure({ watchlist: ['AAPL', 'MSFT'] });
    assert.equal((await get(`http://127.0.0.1:${other}/health`)).status, 200, 'another setting leaves it serving');
    await configure({ 'bridge.port': port });
    assert.equal((await waitForHealth(port)).status, 200);
    await vscode.commands.executeCommand('ibGateway.stopBridge');
  });
  it("another window's bridge on the port: said once as information (no command-line advice), and this window serves once it stops", async () => {
    // a bridge of another VS Code window (here: not connected; it answers /health all the same)
    const manager = new ConnectionManager({ enabled: true, host: '127.0.0.1', port: 1, clientId: 1 });
    const contracts = new ContractService(manager);
    const quotes = new QuoteService(manager, contracts);
    const candles = new CandleService(manager, contracts);
    const other = new Bridge({ connection: manager, contracts, quotes, candles }, { port, version: 'other-window', connectionControl: 'own' });
    await other.start();
    let stopped = false;
    try {
      await configure({ 'bridge.enabled': true });
      await waitFor(() => api.test.recentLog().some((l) => l.includes(`port ${port} is served by another jax bridge`)), 'the other bridge named');
      assert.ok(!api.test.recentLog().some((l) => l.includes('--port')), 'no command-line flag offered in the editor');
      assert.equal((await get(`http://127.0.0.1:${port}/health`)).json.version, 'other-window');
      await other.stop();
      stopped = true;
      let h: { status: number; json: Record<string, unknown> } | undefined;
      for (let i = 0; i < 150 && h?.json.connected !== true; i++) {
        h = await get(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        if (h?.json.connected !== true) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(h?.json.connected, true, "this window's bridge took the port over");
    } finally {
      await configure({ 'bridge.enabled': false });
      if (!stopped) await other.stop();
      quotes.dispose();
      candles.dispose();
      manager.dispose();
    }
  });
});

async function waitForHealth(port: number): Promise<{ status: number; json: Record<string, unknown> }> {
  for (let i = 0; i < 100; i++) {
    try {
      return await get(`http://127.0.0.1:${port}/health`);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('the bridge did not start from the setting');
}

/** Resolves once nothing answers on the port (the bridge has stopped serving there). */
async function waitForClosed(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (
      !(await get(`http://127.0.0.1:${port}/health`).then(
        () => true,
        () => false,
      ))
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the bridge still serves on ${port}`);
}
