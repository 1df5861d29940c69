/**
 * 5. Start-up and size: the production bundles and the .vsix, against the
 * 1.5 MB budget; the extension bundle's load-and-activate time is measured
 * inside a real VS Code by the in-editor suite (see docs/performance.md).
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { report, ROOT, round } from './support';

const BUDGET = 1.5 * 2 ** 20;

function size(rel: string): number {
  return statSync(path.join(ROOT, rel)).size;
}

function main(): void {
  execFileSync('npm', ['run', '-s', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const files = {
    'dist/extension.js': size('dist/extension.js'),
    'dist/ib.js': size('dist/ib.js'),
    'dist/sim-embedded.js': size('dist/sim-embedded.js'),
    'dist/bridge-server.js': size('dist/bridge-server.js'),
    'dist/webview/chart.js': size('dist/webview/chart.js'),
    'dist/sim.js': size('dist/sim.js'),
  };
  const extension = files['dist/extension.js'] + files['dist/ib.js'] + files['dist/sim-embedded.js'] + files['dist/bridge-server.js'];
  const vsix = size('dist/ib-gateway-vscode.vsix');
  const bundles = Object.values(files).reduce((a, b) => a + b, 0);
  const mb = (n: number) => round(n / 2 ** 20, 3);
  report({
    name: 'size',
    rows: [
      {
        metric: 'loaded at activation (dist/extension.js)',
        value: mb(files['dist/extension.js']),
        baseline: 1.5,
        ratio: round(files['dist/extension.js'] / BUDGET),
        better: 'lower',
        unit: 'MB',
      },
      {
        metric: 'extension bundle (with its lazily loaded IB library, simulator and jax bridge)',
        value: mb(extension),
        baseline: 1.5,
        ratio: round(extension / BUDGET),
        better: 'lower',
        unit: 'MB',
        target: '< 1.5 MB',
        pass: extension < BUDGET,
      },
      {
        metric: 'all bundles in the .vsix (extension, chart webview, simulator CLI, jax bridge)',
        value: mb(bundles),
        baseline: 1.5,
        ratio: round(bundles / BUDGET),
        better: 'lower',
        unit: 'MB',
        target: '< 1.5 MB',
        pass: bundles < BUDGET,
      },
      { metric: '.vsix', value: mb(vsix), baseline: 1.5, ratio: round(vsix / BUDGET), better: 'lower', unit: 'MB', target: '< 1.5 MB', pass: vsix < BUDGET },
    ],
    details: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, mb(v)])),
  });
}

main();
