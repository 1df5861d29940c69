// What activate() hands to any other extension: read-only views, never the
// live IB client (which can place orders) nor the simulator's fault controls.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { connectToSim, getApi } from './helpers';

/** Classes that must not be reachable from the public API. */
const LIVE_OBJECTS =
  /^(IBApiNext|IBApi|IBApiAutoConnection|ConnectionManager|QuoteService|ContractService|CandleService|SimServer|WatchlistModel|SettingsSync)$/;
/** Methods that must not be reachable: orders, and anything that drives the connection or the simulator. */
const DRIVING = /order|^connect$|^disconnect$|^updateSettings$|^setFault|^inject|^dispose$|^startUp$|^simulateMessage$|^restore/i;

function methodNames(o: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = o; p && p !== Object.prototype && p !== Function.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const n of Object.getOwnPropertyNames(p)) names.add(n);
  }
  return [...names];
}

/** Every path to a live object or a driving method reachable from `root` (functions taking no argument are called). */
function findLeaks(root: unknown): string[] {
  const leaks: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, path: string, depth: number): void => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 6) return;
    seen.add(value);
    const ctor = (value as { constructor?: { name?: string } }).constructor?.name ?? '';
    if (LIVE_OBJECTS.test(ctor)) leaks.push(`${path}: a ${ctor}`);
    for (const name of methodNames(value as object)) {
      if (name === 'constructor' || (typeof value === 'function' && ['length', 'name', 'prototype', 'arguments', 'caller'].includes(name))) continue;
      if (DRIVING.test(name)) leaks.push(`${path}.${name}`);
      let child: unknown;
      try {
        child = (value as Record<string, unknown>)[name];
      } catch {
        continue;
      }
      if (typeof child === 'function' && (child as () => unknown).length === 0 && !/^on[A-Z]/.test(name)) {
        try {
          visit((child as () => unknown).call(value), `${path}.${name}()`, depth + 1);
        } catch {
          // a view that needs an argument
        }
      }
      visit(child, `${path}.${name}`, depth + 1);
    }
  };
  visit(root, 'api', 0);
  return leaks;
}

describe('the API other extensions get', function () {
  let api: IbGatewayTestApi;

  before(async () => {
    api = await getApi();
    await connectToSim(api);
    await vscode.commands.executeCommand('ibGateway.openChart', 'AAPL');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('ibGateway.disconnect');
  });

  it('reaches no live client, service or simulator, and no method that orders or drives anything', () => {
    const { test: _hooks, ...publicApi } = api;
    assert.deepEqual(findLeaks(publicApi), []);
  });

  it('hands out copies: changing what it returns changes nothing in the extension', () => {
    const status = api.connection.status;
    status.port = 1;
    status.farms.usfarm = 'broken';
    assert.notEqual(api.connection.status.port, 1);
    const settings = api.settings();
    settings.watchlist.push('EVIL');
    assert.ok(!api.settings().watchlist.includes('EVIL'));
    assert.ok(Object.isFrozen(api), 'its properties cannot be replaced');
  });

  it('has its test hooks only because the extension runs its own tests (ExtensionMode.Test)', () => {
    assert.ok(api.test);
    assert.equal(typeof api.test.simulatorServer, 'function');
  });
});
