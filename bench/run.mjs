#!/usr/bin/env node
// Runs every benchmark (or those named), each in its own process, prints one
// table of ratios against the baselines measured in the same runs, and writes
// it as JSON to test-results/bench.json.
//   npm run bench                     all
//   npm run bench -- quote-pipeline   only these
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as esbuild from 'esbuild';

const ALL = ['sim-throughput', 'sim-market', 'quote-pipeline', 'quote-model-share', 'history', 'chart', 'ui-cost', 'startup-size', 'leaks', 'bridge'];
// bench names, then flags with their values for the benchmarks (e.g. -- leaks --stream-seconds 600)
const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith('--'));
const wanted = firstFlag < 0 ? args : args.slice(0, firstFlag);
const passThrough = firstFlag < 0 ? [] : args.slice(firstFlag);
const selected = wanted.length ? ALL.filter((n) => wanted.includes(n)) : ALL;

/**
 * Compiles a benchmark as the extension ships (esbuild.mjs: bundled, no kept
 * function names, Node 20 syntax), so that both sides of each ratio run the
 * code as it ships, not as a TypeScript runner (tsx names every function it
 * makes, at a cost per closure) runs it. Packages stay in node_modules.
 */
async function compile(name) {
  const outfile = `out/bench/${name}.cjs`;
  await esbuild.build({
    entryPoints: [`bench/${name}.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}

async function runOne(name) {
  const file = await compile(name);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', '--enable-source-maps', file, ...passThrough], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => {
      const line = out
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('BENCH '));
      if (line) return resolve(JSON.parse(line.slice(6)));
      // sim-throughput prints a bare JSON line of its own
      const json = out
        .split('\n')
        .reverse()
        .find((l) => l.trim().startsWith('{'));
      if (name === 'sim-throughput' && json) {
        const r = JSON.parse(json);
        return resolve({
          name: 'simulator',
          rows: [
            {
              metric: 'ticks per second to one client',
              value: r.ticksPerSecond,
              baseline: 100000,
              ratio: Math.round((r.ticksPerSecond / 100000) * 100) / 100,
              better: 'higher',
              target: '>= 100,000/s',
              pass: r.ticksPerSecond >= 100000,
              note: 'baseline = the 100,000 ticks/s target',
            },
          ],
          details: r,
        });
      }
      resolve({ name, error: `exit ${code}`, rows: [] });
    });
  });
}

const results = [];
for (const name of selected) {
  console.log(`\n===== bench: ${name} =====`);
  results.push(await runOne(name));
}

const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
console.log(`\n===== benchmarks (${machine}) =====`);
console.log('| benchmark | metric | value | baseline | ratio | target | |');
console.log('| --- | --- | ---: | ---: | ---: | --- | --- |');
for (const r of results) {
  if (r.error) console.log(`| ${r.name} | failed: ${r.error} | | | | | |`);
  for (const row of r.rows) {
    const mark = row.pass === undefined ? '' : row.pass ? 'ok' : 'MISSED';
    console.log(
      `| ${r.name} | ${row.metric} | ${row.value}${row.unit ? ' ' + row.unit : ''} | ${row.baseline}${row.unit ? ' ' + row.unit : ''} | ${row.ratio}x | ${row.target ?? ''} | ${mark} |`,
    );
  }
}
mkdirSync('test-results', { recursive: true });
writeFileSync('test-results/bench.json', JSON.stringify({ machine, date: new Date().toISOString(), results }, null, 2));
console.log('\nwritten: test-results/bench.json');
process.exit(results.some((r) => r.error) ? 1 : 0);
