#!/usr/bin/env node
// Runs every suite that can run here, in order, and prints one closing line:
// "tests: N passed, N failed, N skipped". Exit code is non-zero if anything failed.
//   node scripts/test.mjs                 all suites
//   node scripts/test.mjs unit integration   only these (unit: also unit-los-angeles, unit-auckland)
// Suites: typecheck, lint, build, unit (then again in two time zones), integration, setup-vscode (installs
// code-server and Debian packages on first use), extension (mocha inside a real
// VS Code extension host: VS Code 1.100, the oldest supported), extension-untrusted (the same, in
// Restricted Mode), extension-newest (the same on the newest code-server, with the Node
// it needs; both installed into .cache/ on first use), e2e (the packaged .vsix in a browser, screenshots),
// setup-go (Debian's golang-go on first use), go (the Go example's tests
// against the headless jax bridge on the simulator).
import { spawn } from 'node:child_process';

// limit: minutes a suite may take before it is stopped and counted as failed
// (a test that leaves a socket or timer open keeps mocha from exiting)
const suites = [
  // the host (Node, no DOM), the webviews (DOM, no Node), then everything with the tests
  { name: 'typecheck', cmd: 'npm', args: ['run', '--silent', 'typecheck'], limit: 10 },
  { name: 'lint', cmd: 'npm', args: ['run', '--silent', 'lint'], limit: 10 },
  { name: 'build', cmd: 'node', args: ['esbuild.mjs'], limit: 5 },
  // Debian's Chromium (the webview tests in integration need it too), fonts, and a real
  // VS Code (code-server) into .cache/: installed on first use, then reused
  { name: 'setup-vscode', cmd: 'node', args: ['scripts/vscode/install.mjs'], limit: 20 },
  { name: 'unit', cmd: 'npx', args: ['mocha', '--config', 'test/.mocharc.unit.json'], mocha: true, limit: 10 },
  // the unit suite again west and east of UTC (CI machines run in UTC, where a date read at this machine's
  // midnight looks right): a daily bar read that way is 8 hours late in Los Angeles, 13 early in Auckland.
  // Part of `unit` when suites are named.
  ...[
    ['unit-los-angeles', 'America/Los_Angeles'],
    ['unit-auckland', 'Pacific/Auckland'],
  ].map(([name, zone]) => ({
    name,
    group: 'unit',
    cmd: 'npx',
    args: ['mocha', '--config', 'test/.mocharc.unit.json', '--reporter', 'dot'],
    env: { TZ: zone },
    mocha: true,
    limit: 10,
  })),
  { name: 'integration', cmd: 'npx', args: ['mocha', '--config', 'test/.mocharc.integration.json'], mocha: true, limit: 20 },
  { name: 'extension', cmd: 'node', args: ['scripts/vscode/run-in-host.mjs'], mocha: true, limit: 10 },
  // the same host with workspace trust on and a hostile, untrusted folder (Restricted Mode)
  { name: 'extension-untrusted', cmd: 'node', args: ['scripts/vscode/run-in-host.mjs'], env: { IB_UNTRUSTED: '1' }, mocha: true, limit: 10 },
  // the same suite on the newest code-server (its VS Code and the Node it needs, from npm, installed on first use)
  { name: 'extension-newest', cmd: 'node', args: ['scripts/vscode/run-in-host.mjs'], env: { IB_CODE_SERVER_VERSION: 'newest' }, mocha: true, limit: 30 },
  { name: 'e2e', cmd: 'npx', args: ['mocha', '--config', 'test/e2e/.mocharc.json'], mocha: true, limit: 20 },
  { name: 'setup-go', cmd: 'node', args: ['scripts/go/install.mjs'], limit: 10 },
  { name: 'go', cmd: 'go', args: ['test', '-count=1', '-v', './...'], cwd: 'examples/go', go: true, limit: 5 },
];

const wanted = process.argv.slice(2);
const selected = wanted.length ? suites.filter((s) => wanted.includes(s.name) || wanted.includes(s.group)) : suites;

let current; // the running suite's process group, ended on Ctrl-C
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (current) killGroup(current.pid, 'SIGKILL');
    process.exit(130);
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function run(suite) {
  return new Promise((resolve) => {
    // own process group, so a stuck suite and everything it started can be ended
    const child = spawn(suite.cmd, suite.args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...suite.env }, detached: true, cwd: suite.cwd });
    current = child;
    let out = '';
    let timedOut = false;
    const tee = (stream, target) =>
      stream.on('data', (d) => {
        out += d.toString();
        target.write(d);
      });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n${suite.name}: still running after ${suite.limit} min: stopping it`);
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000).unref();
    }, suite.limit * 60_000);
    child.on('error', (e) => {
      // the command itself is missing (e.g. go before setup-go ran)
      out += `${suite.cmd}: ${e.message}\n`;
      console.error(`${suite.name}: cannot run ${suite.cmd}: ${e.message}`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ code: timedOut ? 124 : (code ?? 1), out, timedOut });
    });
  });
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
// each failing test's title and first lines of its error, repeated after the summary:
// a long run's output is often read from its end
const failures = [];

// mocha's report after "N failing": blocks "  1) suite\n     test:\n     Error: …"
function failingTests(suiteName, plain) {
  const at = plain.search(/^\s*\d+ failing/m);
  if (at < 0) return;
  const blocks = plain
    .slice(at)
    .split(/^(?=[ ]{0,4}\d+\) )/m)
    .slice(1);
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() && !/^\s+at /.test(l));
    failures.push(
      `${suiteName}: ${lines
        .slice(0, 8)
        .map((l) => l.trim())
        .join('\n    ')}`,
    );
  }
}
for (const suite of selected) {
  console.log(`\n===== ${suite.name} =====`);
  const started = Date.now();
  const { code, out, timedOut } = await run(suite);
  const took = `${Math.round((Date.now() - started) / 1000)} s`;
  const why = timedOut ? ` (stopped after ${suite.limit} min)` : code !== 0 ? ` (exit ${code})` : '';
  if (suite.go) {
    const count = (re) => (out.match(re) || []).length;
    const passed = count(/^\s*--- PASS: /gm);
    const failed = count(/^\s*--- FAIL: /gm);
    const skipped = count(/^\s*--- SKIP: /gm);
    for (const m of out.matchAll(/^\s*--- FAIL: (.*)$/gm)) failures.push(`${suite.name}: ${m[1]}`);
    totals.passed += passed;
    totals.failed += failed || (code !== 0 ? 1 : 0);
    totals.skipped += skipped;
    summary.push(`${suite.name}: ${passed} passed, ${failed} failed, ${skipped} skipped${code !== 0 && (!failed || timedOut) ? why : ''} (${took})`);
  } else if (suite.mocha || suite.counts) {
    // strip ANSI colours, then read mocha's closing counts
    const plain = out.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
    const num = (re) => Number((plain.match(re) || [])[1] || 0);
    const passed = num(/(\d+) passing/);
    const failed = num(/(\d+) failing/);
    const skipped = num(/(\d+) pending/);
    failingTests(suite.name, plain);
    totals.passed += passed;
    totals.failed += failed || (code !== 0 ? 1 : 0);
    totals.skipped += skipped;
    summary.push(`${suite.name}: ${passed} passed, ${failed} failed, ${skipped} skipped${code !== 0 && (!failed || timedOut) ? why : ''} (${took})`);
  } else {
    if (code === 0) totals.passed += 1;
    else totals.failed += 1;
    summary.push(`${suite.name}: ${code === 0 ? 'ok' : `FAILED${why}`} (${took})`);
  }
}
console.log('\n===== summary =====');
for (const line of summary) console.log('  ' + line);
if (failures.length) {
  console.log('failed:');
  for (const f of failures.slice(0, 20)) console.log('  ' + f);
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed ? 1 : 0);
