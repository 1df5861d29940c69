// Import / Export jax Config stay inside the workspace folder: no absolute
// path or `..` out of it, no symbolic link (a repository's
// config/jax-x.json -> ~/x.json would otherwise be rewritten), no special file.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { configure, getApi, resetSettings } from './helpers';

const OUTSIDE_TEXT = JSON.stringify({ ib: { enabled: true, host: '127.0.0.1', port: 4999, client_id: 99 } });

describe('jax config paths', function () {
  let ws: string;
  let outside: string;

  before(async () => {
    await getApi();
    await configure({ autoConnect: false });
    const f = vscode.workspace.workspaceFolders?.[0];
    assert.ok(f, 'the tests run with a workspace folder');
    ws = f.uri.fsPath;
    outside = await fs.mkdtemp(path.join(os.tmpdir(), 'jax-outside-'));
    await fs.writeFile(path.join(outside, 'x.json'), OUTSIDE_TEXT);
    await fs.mkdir(path.join(ws, 'config'), { recursive: true });
  });

  after(async () => {
    await fs.rm(path.join(ws, 'config'), { recursive: true, force: true });
    await fs.rm(path.join(ws, 'linked'), { force: true });
    await fs.rm(outside, { recursive: true, force: true });
    await resetSettings();
    await configure({ autoConnect: undefined });
  });

  const portSetting = () => vscode.workspace.getConfiguration('jax.ib').get('port');

  it('refuses an absolute path or `..` that leads out of the workspace, reading and writing nothing', async () => {
    const before = portSetting();
    assert.equal(await vscode.commands.executeCommand('ibGateway.importJaxConfig', path.join(outside, 'x.json')), undefined);
    assert.equal(await vscode.commands.executeCommand('ibGateway.importJaxConfig', path.relative(ws, path.join(outside, 'x.json'))), undefined);
    assert.equal(portSetting(), before);
    assert.equal(await vscode.commands.executeCommand('ibGateway.exportJaxConfig', '../exported.json'), undefined);
    await assert.rejects(fs.stat(path.join(ws, '..', 'exported.json')), 'nothing written beside the workspace');
    assert.equal(await vscode.commands.executeCommand('ibGateway.exportJaxConfig', path.join(outside, 'new.json')), undefined);
    await assert.rejects(fs.stat(path.join(outside, 'new.json')));
  });

  it('refuses a symbolic link to a file outside: Export does not rewrite it, Import does not read it', async () => {
    const link = path.join(ws, 'config', 'jax-link.json');
    await fs.symlink(path.join(outside, 'x.json'), link);
    assert.equal(await vscode.commands.executeCommand('ibGateway.exportJaxConfig', 'config/jax-link.json'), undefined);
    assert.equal(await fs.readFile(path.join(outside, 'x.json'), 'utf8'), OUTSIDE_TEXT, 'the file outside is untouched');
    assert.equal(await vscode.commands.executeCommand('ibGateway.importJaxConfig', vscode.Uri.file(link)), undefined);
    assert.notEqual(portSetting(), 4999);
  });

  it('refuses a file reached through a symbolic link to a folder outside', async () => {
    await fs.symlink(outside, path.join(ws, 'linked'));
    assert.equal(await vscode.commands.executeCommand('ibGateway.exportJaxConfig', 'linked/jax-ingest-ib.json'), undefined);
    await assert.rejects(fs.stat(path.join(outside, 'jax-ingest-ib.json')));
    assert.equal(await vscode.commands.executeCommand('ibGateway.importJaxConfig', 'linked/x.json'), undefined);
    assert.notEqual(portSetting(), 4999);
  });

  it('refuses a special file without reading it (a named pipe would block the read for ever)', async function () {
    if (process.platform === 'win32') this.skip();
    const fifo = path.join(ws, 'config', 'jax-pipe.json');
    execFileSync('mkfifo', [fifo]);
    assert.equal(await vscode.commands.executeCommand('ibGateway.importJaxConfig', vscode.Uri.file(fifo)), undefined);
  });

  it('refuses a file larger than a jax config can be, before reading it', async () => {
    const big = path.join(ws, 'config', 'jax-big.json');
    const handle = await fs.open(big, 'w');
    await handle.truncate(50_000_000); // sparse: no disk used
    await handle.close();
    assert.equal(await vscode.commands.executeCommand('ibGateway.importJaxConfig', vscode.Uri.file(big)), undefined);
  });
});
