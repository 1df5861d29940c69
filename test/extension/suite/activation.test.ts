// The harness itself: this runs inside a real VS Code extension host.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';

interface Manifest {
  name: string;
  publisher: string;
  engines: { vscode: string };
  contributes?: { commands?: Array<{ command: string }> };
}

function findExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.all.find((e) => {
    const m = e.packageJSON as Manifest;
    return m.name === 'ib-gateway-vscode';
  });
  assert.ok(ext, `the extension is not loaded; loaded: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
  return ext;
}

describe('extension host', () => {
  it('is a real VS Code: the one the launcher started, never older than the engine minimum', () => {
    // the code-server launcher names the VS Code it runs (1.100 by default, the newest with IB_CODE_SERVER_VERSION=newest)
    const expected = process.env.IB_VSCODE_VERSION;
    if (expected) assert.equal(vscode.version, expected);
    const minimum = (findExtension().packageJSON as Manifest).engines.vscode.replace(/^\^/, '');
    const parts = (v: string) => v.split('.').map(Number);
    const [a, b] = [parts(vscode.version), parts(minimum)];
    assert.ok(a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] >= b[2]))), `VS Code ${vscode.version} is at least ${minimum}`);
  });

  it('loads this extension under the id its manifest gives', () => {
    const ext = findExtension();
    const manifest = JSON.parse(readFileSync(join(ext.extensionPath, 'package.json'), 'utf8')) as Manifest;
    assert.equal(ext.id.toLowerCase(), `${manifest.publisher}.${manifest.name}`.toLowerCase());
  });

  it('activates without throwing', async () => {
    const ext = findExtension();
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command the manifest declares once active', async () => {
    const ext = findExtension();
    await ext.activate();
    const declared = ((ext.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });

  it('reaches the simulator the launcher started (IB_SIM_HOST/IB_SIM_PORT)', async function () {
    if (!process.env.IB_SIM_PORT) this.skip();
    const host = process.env.IB_SIM_HOST || '127.0.0.1';
    const port = Number(process.env.IB_SIM_PORT);
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host, port }, () => {
        socket.end();
        resolve();
      });
      socket.on('error', reject);
    });
  });
});
