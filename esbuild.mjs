// Bundles the extension (node, cjs, `vscode` external), the chart webview
// (browser, iife), the simulator CLI (node) and the headless jax bridge (node).
//
// The extension is three files so that activation parses only what it runs:
// dist/extension.js (views, commands, domain), dist/ib.js (@stoqey/ib's IBApi,
// required when the first client is made), dist/sim-embedded.js (the
// simulator, required when a simulated gateway first starts) and
// dist/bridge-server.js (the jax bridge, required when it first starts).
import * as esbuild from 'esbuild';
import { writeFileSync } from 'node:fs';
import { bundledPackages, noticesText } from './scripts/third-party-notices.mjs';

/** Leaves the lazily required parts out of the extension's bundle, as sibling files. */
const lazyParts = {
  name: 'lazy-parts',
  setup(build) {
    build.onResolve({ filter: /^@stoqey\/ib$/ }, () => ({ path: './ib.js', external: true }));
    build.onResolve({ filter: /\/sim\/embedded$/ }, () => ({ path: './sim-embedded.js', external: true }));
    build.onResolve({ filter: /\/bridge\/index$/ }, () => ({ path: './bridge-server.js', external: true }));
  },
};

/**
 * @stoqey/ib runs dotenv on the working directory when it reads its own
 * configuration (the client always passes every option, so it should not):
 * in the bundle, dotenv is one that reads nothing, so a repository's .env can
 * never reach the extension host's environment.
 */
const noDotenv = {
  name: 'no-dotenv',
  setup(build) {
    build.onResolve({ filter: /^dotenv$/ }, () => ({ path: 'dotenv', namespace: 'no-dotenv' }));
    build.onLoad({ filter: /.*/, namespace: 'no-dotenv' }, () => ({ contents: 'module.exports = { config: () => ({ parsed: {} }) };', loader: 'js' }));
  },
};

/**
 * The product uses one value of @stoqey/ib: the IBApi class (src/ib/transport
 * is the only code that loads it). The package's entry point also loads
 * IBApiNext and with it all of RxJS; the bundles take the IBApi module alone
 * (the library is CommonJS, so nothing else of its entry would be left out).
 */
const IB_API_ONLY = "module.exports = { IBApi: require('@stoqey/ib/dist/api/api').IBApi };";
const ibApiOnly = {
  name: 'ib-api-only',
  setup(build) {
    build.onResolve({ filter: /^@stoqey\/ib$/ }, () => ({ path: '@stoqey/ib', namespace: 'ib-api-only' }));
    build.onLoad({ filter: /.*/, namespace: 'ib-api-only' }, () => ({ contents: IB_API_ONLY, loader: 'js', resolveDir: '.' }));
  },
};

/**
 * The bridge serialises answers with JSON.stringify (its response schemas
 * describe the API in GET /openapi.json, and the tests validate real answers
 * against them), so fastify never compiles a serializer with
 * fast-json-stringify (90 KB): a stub that says so stands in.
 */
const noResponseSchemas = {
  name: 'no-response-schemas',
  setup(build) {
    build.onResolve({ filter: /^fast-json-stringify$/ }, () => ({ path: 'fast-json-stringify', namespace: 'stub' }));
    // @fastify/swagger writes YAML only when asked for it (the bridge serves JSON): 115 KB left out
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'no-yaml' }));
    build.onLoad({ filter: /.*/, namespace: 'no-yaml' }, () => ({
      contents: "module.exports = { stringify() { throw new Error('the jax bridge describes its API as JSON only'); } };",
      loader: 'js',
    }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: "module.exports = function () { throw new Error('the jax bridge serialises with JSON.stringify, not fast-json-stringify'); };",
      loader: 'js',
    }));
  },
};

const args = process.argv.slice(2);
const watch = args.includes('--watch');
const production = args.includes('--production');
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1].split(',') : undefined;

const common = {
  bundle: true,
  // jsonc-parser's main entry is a UMD module whose requires a bundler cannot follow: its ES module build instead
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  metafile: true,
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
    plugins: [lazyParts],
  },
  ib: {
    ...common,
    stdin: { contents: IB_API_ONLY, resolveDir: '.', sourcefile: 'ib-api-only.js', loader: 'js' },
    outfile: 'dist/ib.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [noDotenv],
  },
  'sim-embedded': {
    ...common,
    entryPoints: ['src/sim/embedded.ts'],
    outfile: 'dist/sim-embedded.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  webview: {
    ...common,
    entryPoints: ['media/chart/main.ts'],
    outfile: 'dist/webview/chart.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  // the jax bridge as the editor loads it, when it first starts (fastify is in here, not in the extension)
  'bridge-server': {
    ...common,
    entryPoints: ['src/bridge/index.ts'],
    outfile: 'dist/bridge-server.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // fastify's inject() (tests only) loads it on first use; the bridge never calls it
    external: ['light-my-request'],
    plugins: [lazyParts, noResponseSchemas],
  },
  // the headless bridge: domain, @stoqey/ib and the simulator in one file (not in the .vsix)
  bridge: {
    ...common,
    entryPoints: ['src/bridge/cli.ts'],
    outfile: 'dist/bridge.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['light-my-request'],
    plugins: [noDotenv, noResponseSchemas, ibApiOnly],
    banner: { js: '#!/usr/bin/env node' },
  },
  quotes: {
    ...common,
    entryPoints: ['media/quotes/table.ts'],
    outfile: 'dist/webview/quotes.js',
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

// the extension's lazily required parts go with it
if (only?.includes('extension')) only.push('ib', 'sim-embedded', 'bridge-server');
// the webviews go together: the chart and the quote table
if (only?.includes('webview')) only.push('quotes');
const selected = Object.entries(targets).filter(([name]) => !only || only.includes(name));
if (watch) {
  for (const [, options] of selected) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('watching', selected.map(([n]) => n).join(', '));
} else {
  const results = await Promise.all(selected.map(([, options]) => esbuild.build(options)));
  // a full build (what `npm run package` ships) carries the licences of every bundled package
  if (!only) {
    const metafiles = results.map((r) => r.metafile);
    writeFileSync('dist/ThirdPartyNotices.txt', noticesText('.', bundledPackages(metafiles)));
    writeFileSync('dist/bundle-inputs.json', JSON.stringify(metafiles.map((m) => ({ inputs: m.inputs }))));
  }
}
