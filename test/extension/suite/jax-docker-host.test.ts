// Importing jax's own config file, as a person does: its host is
// host.docker.internal (a name only containers have) and it lists symbols.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, waitFor } from './helpers';

const enter = () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');

describe('jax config with a container host and symbols', function () {
  let api: IbGatewayTestApi;
  let uri: vscode.Uri;

  before(async () => {
    api = await getApi();
    await configure({ autoConnect: false, watchlist: ['AAPL'] });
    await vscode.commands.executeCommand('ibGateway.disconnect');
    const folder = vscode.workspace.workspaceFolders![0].uri;
    uri = vscode.Uri.joinPath(folder, 'config-docker', 'jax-ingest-ib.json');
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    const config = { service: 'ingest', ib: { enabled: true, host: 'host.docker.internal', port: 4002, client_id: 7 }, symbols: ['AAPL', 'msft', 'EUR.USD'] };
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(config)));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(uri, '..'), { recursive: true }).then(undefined, () => undefined);
    await resetSettings();
    await configure({ autoConnect: undefined });
  });

  it("explains host.docker.internal and offers 127.0.0.1 (Enter takes it), then offers the config's symbols", async () => {
    const result = Promise.resolve(vscode.commands.executeCommand<{ host: string } | undefined>('ibGateway.importJaxConfig', uri));
    const ask = await waitFor(() => api.test.inputStep(), 'the host question');
    assert.match(ask.title ?? '', /"host\.docker\.internal" is a name that exists only inside containers/);
    assert.equal(ask.active, 'Use 127.0.0.1');
    await enter();
    const offer = await waitFor(() => (api.test.inputStep()?.title?.includes('symbol') ? api.test.inputStep() : undefined), 'the symbols offered');
    assert.deepEqual(offer.rows, ['MSFT', 'EUR.USD'], 'the ones not in the watchlist yet, as stored');
    await enter();
    const ib = await result;
    assert.equal(ib?.host, '127.0.0.1');
    const c = vscode.workspace.getConfiguration('jax.ib');
    assert.equal(c.get('host'), '127.0.0.1');
    assert.equal(c.get('port'), 4002);
    const list = c.get<string[]>('watchlist') ?? [];
    assert.deepEqual(list.slice(0, 1), ['AAPL']);
    assert.deepEqual(list, ['AAPL', 'MSFT', 'EUR.USD']);
  });

  it('Escape at the host question imports nothing', async () => {
    await resetSettings();
    const result = Promise.resolve(vscode.commands.executeCommand('ibGateway.importJaxConfig', uri));
    await waitFor(() => api.test.inputStep(), 'the host question');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(await result, undefined);
    assert.equal(vscode.workspace.getConfiguration('jax.ib').get('port'), 7497);
  });
});
