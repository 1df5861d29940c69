// Bundles the extension (node, cjs, `vscode` external), the chart webview
// (browser, iife) and the simulator CLI (node).
import * as esbuild from 'esbuild';

const args = process.argv.slice(2);
const watch = args.includes('--watch');
const production = args.includes('--production');
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1].split(',') : undefined;

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

const targets = {
  extension: {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  webview: {
    ...common,
    entryPoints: ['media/chart/main.ts'],
    outfile: 'dist/webview/chart.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  sim: {
    ...common,
    entryPoints: ['src/sim/cli.ts'],
    outfile: 'dist/sim.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
};

const selected = Object.entries(targets).filter(([name]) => !only || only.includes(name));
if (watch) {
  for (const [, options] of selected) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('watching', selected.map(([n]) => n).join(', '));
} else {
  await Promise.all(selected.map(([, options]) => esbuild.build(options)));
}
