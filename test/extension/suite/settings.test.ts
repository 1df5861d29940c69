// jax.ib.* settings: bad values named and never applied; enabled=false keeps quiet.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { problemText, readSettings } from '../../../src/vscode/settings';
import { configure, connectToSim, getApi, resetSettings, waitFor } from './helpers';

describe('settings', function () {
  let api: IbGatewayTestApi;

  before(async () => {
    api = await getApi();
  });

  after(async () => {
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await vscode.commands.executeCommand('ibGateway.stopSimulator');
    await resetSettings();
  });

  const kept = /; the last valid value stays in use\.$/;
  for (const [key, value, named, outcome] of [
    ['port', -1, 'jax.ib.port', kept],
    ['port', 70000, 'jax.ib.port', kept],
    ['port', 'abc', 'jax.ib.port', kept],
    ['clientId', 1.5, 'jax.ib.clientId', kept],
    ['host', 'bad host\u0000', 'jax.ib.host', kept],
    ['host', '', 'jax.ib.host', kept],
    ['marketDataType', 'realtime', 'jax.ib.marketDataType', /; auto is used\.$/],
    ['chart.defaultBarSize', '7 mins', 'jax.ib.chart.defaultBarSize', /; "5 mins" is used\.$/],
    ['chart.defaultDuration', '999 Y', 'jax.ib.chart.defaultDuration', /; "1 D" is used\.$/],
    // a timing never holds host, port and client id back: its default is used
    ['reconnect.initialDelayMs', 10, 'jax.ib.reconnect.initialDelayMs', /; its default is used\.$/],
    ['reconnect.maxDelayMs', 500, 'jax.ib.reconnect.maxDelayMs', /; its default is used\.$/],
    ['bridge.port', 70000, 'jax.ib.bridge.port', /\(8092 is used meanwhile\)\.$/],
    ['bridge.enabled', 'yes', 'jax.ib.bridge.enabled', /; false is used\.$/],
    ['simulator.autoStart', 1, 'jax.ib.simulator.autoStart', /; false is used\.$/],
    ['chart.timeZone', 'Europe/London', 'jax.ib.chart.timeZone', /; exchange is used\.$/],
  ] as const) {
    it(`${key} = ${JSON.stringify(value).slice(0, 20)} is reported as ${named}, with what is used instead, and not applied`, async () => {
      const before = { ...api.connection.status };
      await configure({ [key]: value });
      try {
        const problems = await waitFor(() => {
          const p = api.settings().problems.filter((x) => x.setting === named);
          return p.length ? p : undefined;
        }, `a problem naming ${named}`);
        assert.ok(problems[0].message.includes(named), problems[0].message);
        // the notification's text: the problem and what is used instead
        assert.match(problemText(problems[0]), outcome);
        assert.equal(api.connection.status.host, before.host);
        assert.equal(api.connection.status.port, before.port);
        assert.equal(api.connection.status.clientId, before.clientId);
      } finally {
        await configure({ [key]: undefined });
      }
      await waitFor(() => api.settings().problems.length === 0, 'the problem gone');
    });
  }

  it('a bad connection setting read at start-up (no earlier valid value) says the defaults are used until it is fixed', async () => {
    await configure({ port: 'abc' });
    try {
      const first = readSettings(vscode.workspace.getConfiguration('jax.ib'), true);
      const p = first.problems.find((x) => x.setting === 'jax.ib.port');
      assert.ok(p, JSON.stringify(first.problems));
      assert.match(problemText(p), /; the connection uses the default settings until it is fixed\.$/);
      assert.doesNotMatch(problemText(p), /last valid/);
      assert.equal(first.connection, undefined, 'not applied');
    } finally {
      await configure({ port: undefined });
    }
  });

  it('a reconnect delay out of line is said by its name, its defaults used, and a new port still applies', async () => {
    await configure({ 'reconnect.initialDelayMs': 60_000 });
    try {
      const p = await waitFor(() => api.settings().problems.find((x) => x.setting === 'jax.ib.reconnect.maxDelayMs'), 'the delay problem');
      assert.equal(problemText(p), 'jax.ib.reconnect.maxDelayMs must not be smaller than jax.ib.reconnect.initialDelayMs; the defaults of both are used.');
      await configure({ port: 4999 });
      await waitFor(
        () => api.settings().connection?.port === 4999,
        () => `the new port applied: ${JSON.stringify(api.settings().connection)}`,
      );
    } finally {
      await configure({ 'reconnect.initialDelayMs': undefined, port: undefined });
    }
  });

  it('a huge watchlist entry and a non-string entry are skipped with a problem', async () => {
    await configure({ watchlist: ['AAPL', 'X'.repeat(10_000), 42, 'MSFT'] });
    await waitFor(() => api.settings().problems.some((p) => p.setting === 'jax.ib.watchlist'), 'a watchlist problem');
    assert.deepEqual(api.watchlist.symbols(), ['AAPL', 'MSFT']);
    await configure({ watchlist: undefined });
  });

  it('a remote host is accepted with a warning about the unencrypted protocol', async () => {
    await configure({ host: '192.0.2.10', autoConnect: false });
    await waitFor(() => api.settings().warnings.some((w) => /unencrypted/.test(w)), 'the warning');
    await configure({ host: undefined });
  });

  it('enabled=false: no connection, status "disabled", commands refuse and offer to enable', async () => {
    await connectToSim(api);
    await configure({ enabled: false });
    await waitFor(() => api.connection.status.phase === 'disabled', 'the disabled phase');
    assert.match(api.statusText(), /^IB .*disabled/);
    assert.equal(api.quotes.activeLines, 0);
    assert.equal(await vscode.commands.executeCommand('ibGateway.getQuote', 'AAPL'), undefined);
    assert.equal(await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'IBM'), undefined);
    assert.equal(await vscode.commands.executeCommand('ibGateway.startSimulator'), undefined);
    const status = (await vscode.commands.executeCommand('ibGateway.connect')) as { phase: string };
    assert.equal(status.phase, 'disabled');
    assert.deepEqual(api.watchlist.treeItems(), []);
  });

  it('Enable IB turns it back on', async () => {
    await vscode.commands.executeCommand('ibGateway.enable');
    await waitFor(() => api.settings().enabled && api.connection.status.phase !== 'disabled', 'enabled again');
    assert.equal(vscode.workspace.getConfiguration('jax.ib').get('enabled'), true);
  });
});
