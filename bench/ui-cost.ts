/**
 * 2 and 5. UI cost and activation, inside a real VS Code: starts a simulator
 * with 100 symbols ticking 10 times a second each, then runs the in-editor
 * benchmark (test/extension/suite/bench.test.ts) through the same launcher as
 * the in-editor tests, and passes its result line on.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createUniverse } from '../src/sim/market';
import { argNumber, ROOT, startSimProcess } from './support';

async function main(): Promise<void> {
  const count = argNumber('symbols', 100);
  // alternating windows of the bare client and the extension, `seconds` each
  const seconds = argNumber('seconds', 10);
  const rounds = argNumber('rounds', 6);
  // streaming before the rounds, not measured (see bench.test.ts)
  const warmUp = argNumber('warmup-seconds', 60);
  const symbols = createUniverse({ syntheticStocks: count })
    .all()
    .filter((i) => i.liveSubscribed && i.secType === 'STK')
    .slice(0, count)
    .map((i) => String(i.conId));
  const sim = await startSimProcess(['--tick-ms', '100', '--no-limits', '--synthetic', String(count)]);
  try {
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'scripts/vscode/run-in-host.mjs')], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: {
          ...process.env,
          IB_SIM_HOST: '127.0.0.1',
          IB_SIM_PORT: String(sim.port),
          IB_BENCH: '1',
          IB_BENCH_SYMBOLS: symbols.join(','),
          IB_BENCH_SECONDS: String(seconds),
          IB_BENCH_ROUNDS: String(rounds),
          IB_BENCH_WARMUP_SECONDS: String(warmUp),
          IB_VSCODE_TIMEOUT_MS: String(300_000 + warmUp * 2000 + (rounds + 1) * (3 * seconds + 90) * 1000),
          IB_TEST_GREP: 'bench:',
        },
      });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
      });
      child.on('close', (c) => {
        const line = out.split('\n').find((l) => l.includes('BENCH {'));
        if (line) console.log(line.slice(line.indexOf('BENCH {')));
        else console.log(out.slice(-3000));
        resolve(c ?? 1);
      });
    });
    process.exitCode = code;
  } finally {
    await sim.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
