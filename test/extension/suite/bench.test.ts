// In-editor benchmarks (bench/ui-cost.ts runs them with IB_BENCH=1; a normal
// test run registers nothing here). Measures, inside the real extension host:
// activation time, and the UI cost of a busy watchlist (tree refreshes a
// second, rows per refresh, the host's CPU share) against a bare @stoqey/ib
// client decoding the same stream in the same host.
import { EventName, IBApi } from '@stoqey/ib';
import * as vscode from 'vscode';
import type { IbGatewayApi } from '../../../src/vscode/api';
import { configure, EXTENSION_ID, sleep, waitFor } from './helpers';

const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
};

if (process.env.IB_BENCH) {
  describe('bench: in the extension host', function () {
    this.timeout(180_000);
    const port = Number(process.env.IB_SIM_PORT);
    const symbols = (process.env.IB_BENCH_SYMBOLS ?? '').split(',').filter(Boolean);
    const seconds = Number(process.env.IB_BENCH_SECONDS || 30);

    it('measures activation and the watchlist under load', async () => {
      const ext = vscode.extensions.getExtension<IbGatewayApi>(EXTENSION_ID)!;
      const wasActive = ext.isActive;
      const t0 = performance.now();
      const api = await ext.activate();
      const activationMs = performance.now() - t0;

      // baseline: a bare client in this host decoding the same stream
      await vscode.commands.executeCommand('ibGateway.disconnect');
      const bare = new IBApi({ host: '127.0.0.1', port });
      let bareTicks = 0;
      const count = () => bareTicks++;
      bare.on(EventName.tickPrice, count).on(EventName.tickSize, count).on(EventName.tickString, count).on(EventName.tickGeneric, count);
      await new Promise<void>((resolve) => {
        bare.once(EventName.nextValidId, () => resolve());
        bare.connect(90);
      });
      symbols.forEach((s, i) => bare.reqMktData(5000 + i, { conId: Number(s), exchange: 'SMART' }, '', false, false));
      await sleep(3000);
      const bareCpu0 = process.cpuUsage();
      const bareT0 = performance.now();
      const bareTicks0 = bareTicks;
      await sleep(Math.min(10, seconds) * 1000);
      const bareWall = (performance.now() - bareT0) / 1000;
      const bareShare = cpuSeconds(bareCpu0) / bareWall;
      const bareRate = (bareTicks - bareTicks0) / bareWall;
      bare.disconnect();
      await sleep(1000);

      // the extension: watchlist of all symbols, streaming
      await configure({ host: '127.0.0.1', port, clientId: 91, watchlist: symbols, marketDataType: 'live', autoConnect: true });
      await vscode.commands.executeCommand('workbench.view.extension.ibGateway');
      await vscode.commands.executeCommand('ibGateway.connect');
      await waitFor(() => api.watchlist.rows().filter((r) => r.quote).length >= symbols.length, `${symbols.length} rows quoted`, 60_000);
      await sleep(3000);
      const r0 = api.watchlist.refreshCount();
      const cpu0 = process.cpuUsage();
      const t1 = performance.now();
      await sleep(seconds * 1000);
      const wall = (performance.now() - t1) / 1000;
      const share = cpuSeconds(cpu0) / wall;
      const refreshes = (api.watchlist.refreshCount() - r0) / wall;
      await vscode.commands.executeCommand('ibGateway.disconnect');
      console.log(
        'BENCH ' +
          JSON.stringify({
            name: 'ui cost',
            rows: [
              { metric: `watchlist refreshes per second, ${symbols.length} symbols at 10 ticks/s each`, value: +refreshes.toFixed(2), baseline: 4, ratio: +(refreshes / 4).toFixed(2), better: 'lower', target: '<= 4/s', pass: refreshes <= 4.05 },
              { metric: 'extension host CPU share while streaming (cores)', value: +share.toFixed(3), baseline: +bareShare.toFixed(3), ratio: +(share / bareShare).toFixed(2), better: 'lower', note: `baseline: a bare IBApi in the same host decoding the same stream (${Math.round(bareRate)} tick messages/s)` },
              { metric: 'activation time', value: +activationMs.toFixed(1), baseline: 50, ratio: +(activationMs / 50).toFixed(2), better: 'lower', unit: 'ms', target: '< 50 ms', pass: activationMs < 50, note: wasActive ? 'already active when measured: the figure is not a cold activation' : 'cold: module load + activate(), measured around ext.activate()' },
            ],
            details: { seconds, symbols: symbols.length, bareTickMessagesPerSecond: Math.round(bareRate) },
          }),
      );
    });
  });
}
