// Import / Export jax Config with files in the workspace's config folder.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, waitFor } from './helpers';

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the tests run with a workspace folder');
  return f.uri;
}

async function write(name: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(folder(), 'config', name);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder(), 'config'));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

async function read(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

describe('jax config import and export', function () {
  let api: IbGatewayTestApi;

  before(async () => {
    api = await getApi();
    await configure({ autoConnect: false });
    await vscode.commands.executeCommand('ibGateway.disconnect');
  });

  after(async () => {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder(), 'config'), { recursive: true }).then(undefined, () => undefined);
    await resetSettings();
    await configure({ autoConnect: undefined });
  });

  it("imports the ib block into the workspace's jax.ib.* settings, never the user's", async () => {
    const uri = await write('jax-ingest-ib.json', JSON.stringify({ service: 'ingest', ib: { enabled: true, host: '127.0.0.1', port: 4002, client_id: 17 } }));
    const ib = await vscode.commands.executeCommand('ibGateway.importJaxConfig', uri);
    assert.deepEqual(ib, { enabled: true, host: '127.0.0.1', port: 4002, client_id: 17 });
    const c = vscode.workspace.getConfiguration('jax.ib');
    assert.equal(c.get('port'), 4002);
    assert.equal(c.get('clientId'), 17);
    assert.equal(c.inspect('port')?.workspaceValue, 4002, 'written to the workspace settings');
    assert.equal(c.inspect('port')?.globalValue, undefined, 'the user settings are untouched');
    await waitFor(() => api.connection.status.port === 4002 && api.connection.status.clientId === 17, 'the connection settings updated');
  });

  it("the file's symbols, when added, go into this workspace's watchlist as its connection does, not every window's; 4002.0 is imported with a warning", async () => {
    const global = vscode.workspace.getConfiguration('jax.ib').inspect('watchlist')?.globalValue;
    const uri = await write('jax-symbols.json', '{"symbols": ["NVDA", "AMD"], "ib": {"enabled": true, "host": "127.0.0.1", "port": 4002.0, "client_id": 17}}');
    const imported = vscode.commands.executeCommand('ibGateway.importJaxConfig', uri);
    try {
      await waitFor(
        () => api.test.inputStep()?.rows.join() === 'NVDA,AMD',
        () => `the symbols offered (${JSON.stringify(api.test.inputStep())})`,
      );
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      assert.ok(await imported);
      const watchlist = vscode.workspace.getConfiguration('jax.ib').inspect<string[]>('watchlist');
      assert.deepEqual(watchlist?.workspaceValue?.slice(-2), ['NVDA', 'AMD'], 'in the workspace settings');
      assert.deepEqual(watchlist?.globalValue, global, "the user's own list is untouched");
      assert.ok(
        api.test.recentLog().some((l) => l.includes('ib.port is written 4002.0') && l.includes('write 4002')),
        api.test.recentLog().slice(-4).join(' | '),
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await vscode.workspace.getConfiguration('jax.ib').update('watchlist', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('refuses invalid JSON and wrong types, writing nothing', async () => {
    const bad = await write('broken.json', '{"ib": {"enabled": true, "host": "127.0.0.1", "port": ');
    assert.equal(await vscode.commands.executeCommand('ibGateway.importJaxConfig', bad), undefined);
    const wrong = await write('wrong.json', JSON.stringify({ ib: { enabled: 'yes', host: '127.0.0.1', port: -5, client_id: 1.5 } }));
    assert.equal(await vscode.commands.executeCommand('ibGateway.importJaxConfig', wrong), undefined);
    const c = vscode.workspace.getConfiguration('jax.ib');
    assert.equal(c.get('port'), 4002);
    assert.equal(c.get('clientId'), 17);
  });

  it('exports the settings into the ib block, keeping the other keys', async () => {
    await resetSettings();
    await configure({ port: 4001, clientId: 3 });
    const uri = await write(
      'jax-export.json',
      JSON.stringify({ service: 'ingest', ib: { enabled: false, host: 'x', port: 1, client_id: 9, note: 'kept' }, other: [1, 2] }, null, 2),
    );
    const text = (await vscode.commands.executeCommand('ibGateway.exportJaxConfig', uri)) as string;
    const onDisk = await read(uri);
    assert.equal(onDisk, text);
    const doc = JSON.parse(onDisk) as Record<string, unknown>;
    assert.deepEqual(doc, { service: 'ingest', ib: { enabled: true, host: '127.0.0.1', port: 4001, client_id: 3, note: 'kept' }, other: [1, 2] });
    assert.match(onDisk, /^\{\n {2}"service"/);
  });

  it("export changes the ib block's values only: a file with tabs, CRLF and one-line arrays is otherwise byte for byte; one not UTF-8 is left alone", async () => {
    await resetSettings();
    await configure({ port: 4001, clientId: 3 });
    const before =
      '{\r\n\t"service": "ingest",\r\n\t"symbols": ["AAPL", "MSFT"],\r\n\t"ib": {"enabled": true, "host": "127.0.0.1", "port": 7497, "client_id": 1}\r\n}\r\n';
    const uri = await write('jax-crlf.json', before);
    await vscode.commands.executeCommand('ibGateway.exportJaxConfig', uri);
    assert.equal(await read(uri), before.replace('"port": 7497', '"port": 4001').replace('"client_id": 1', '"client_id": 3'));
    // Latin-1 bytes (not UTF-8): neither imported nor written over
    const latin = vscode.Uri.joinPath(folder(), 'config', 'jax-latin1.json');
    const bytes = Uint8Array.from([...new TextEncoder().encode('{"name": "M'), 0xfc, ...new TextEncoder().encode('nchen", "ib": {"port": 7497}}')]);
    await vscode.workspace.fs.writeFile(latin, bytes);
    assert.equal(await vscode.commands.executeCommand('ibGateway.exportJaxConfig', latin), undefined);
    assert.deepEqual([...(await vscode.workspace.fs.readFile(latin))], [...bytes]);
    assert.ok(
      api.test.recentLog().some((l) => l.includes('jax-latin1.json is not UTF-8 text')),
      api.test.recentLog().slice(-2).join(' | '),
    );
  });

  it('export keeps host.docker.internal in the file while the settings say this machine (the jax services in containers read it)', async () => {
    await resetSettings();
    await configure({ host: '127.0.0.1', port: 4002, clientId: 5 });
    const uri = await write('jax-docker.json', JSON.stringify({ ib: { enabled: true, host: 'host.docker.internal', port: 7497, client_id: 1 } }, null, 2));
    await vscode.commands.executeCommand('ibGateway.exportJaxConfig', uri);
    assert.deepEqual(JSON.parse(await read(uri)).ib, { enabled: true, host: 'host.docker.internal', port: 4002, client_id: 5 });
    // another host in the settings is written as it is
    await configure({ host: '192.0.2.10' });
    await vscode.commands.executeCommand('ibGateway.exportJaxConfig', uri);
    assert.equal(JSON.parse(await read(uri)).ib.host, '192.0.2.10');
    await configure({ host: undefined });
  });

  it('export creates config/jax-ingest-ib.json when given that path', async () => {
    const text = (await vscode.commands.executeCommand('ibGateway.exportJaxConfig', 'config/new-ib.json')) as string;
    assert.ok(JSON.parse(text).ib);
    assert.equal(await read(vscode.Uri.joinPath(folder(), 'config', 'new-ib.json')), text);
  });
});
