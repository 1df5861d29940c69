// A forex row shows the market's price (IDEALPRO sends no last trade): the
// mid of bid and ask, never the previous close while bid/ask stream.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, waitFor } from './helpers';
import { connectToPinnedSim, TUESDAY_OPEN } from './pinned-sim';

describe('forex price', function () {
  let api: IbGatewayTestApi;
  let gateway: Awaited<ReturnType<typeof connectToPinnedSim>>;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['EUR.USD', 'USD.JPY'] });
    gateway = await connectToPinnedSim(api);
  });

  after(async () => {
    await gateway.stop();
    await resetSettings();
  });

  for (const pair of ['EUR.USD', 'USD.JPY']) {
    it(`the ${pair} row shows the mid of bid and ask, not the previous close`, async () => {
      const seen = await waitFor(
        () => {
          const row = api.watchlist.rows().find((r) => r.symbol === pair);
          const item = api.watchlist.treeItems().find((i) => i.label === pair);
          const q = row?.quote;
          if (!q || q.bid === undefined || q.ask === undefined || q.close === undefined || !item) return undefined;
          return { q, shown: Number(/^[\d.]+/.exec(String(item.description))?.[0]) };
        },
        `${pair} with bid, ask and close`,
        30_000,
      );
      const { q, shown } = seen;
      assert.equal(q.last, undefined, 'IDEALPRO sends no last trade');
      const mid = (q.bid! + q.ask!) / 2;
      assert.ok(Math.abs(shown - mid) <= q.ask! - q.bid! + 1e-4, `row ${shown} is the mid ${mid} (bid ${q.bid}, ask ${q.ask})`);
      assert.notEqual(shown, Number(q.close!.toFixed(pair === 'USD.JPY' ? 2 : 4)), `row ${shown} is not the previous close ${q.close}`);
    });
  }

  it('Get Quote for EUR.USD names the mid, and its change is from the mid', async () => {
    const q = (await vscode.commands.executeCommand('ibGateway.getQuote', 'EUR.USD')) as {
      bid: number;
      ask: number;
      close: number;
      price: number;
      change: number;
      priceSource: string;
    };
    assert.equal(q.priceSource, 'mid');
    assert.ok(Math.abs(q.price - (q.bid + q.ask) / 2) < 1e-9);
    assert.ok(Math.abs(q.change - (q.price - q.close)) < 1e-9);
  });

  it('a forex quote (no trade time) is timed on the gateway clock, like the stocks beside it', async () => {
    const near = (t: number | undefined) => t !== undefined && Math.abs(t - TUESDAY_OPEN) < 30 * 60_000;
    await waitFor(
      () => near(api.watchlist.rows().find((r) => r.symbol === 'EUR.USD')?.quote?.time),
      `EUR.USD timed near the simulated ${new Date(TUESDAY_OPEN).toISOString()} (got ${api.watchlist.rows().find((r) => r.symbol === 'EUR.USD')?.quote?.time})`,
    );
  });
});
