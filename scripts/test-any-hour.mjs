#!/usr/bin/env node
// The whole test run with this machine's clock moved, to prove nothing in a test depends on
// the wall clock: CI runs at any hour. Uses Debian's faketime (installed here when missing).
//   npm run test:any-hour                       Saturday noon and a weekday 03:00 in New York
//   npm run test:any-hour -- --at "2026-12-05 17:00:00 UTC"     one instant of your choice
//   npm run test:any-hour -- unit integration   only these suites (as `node scripts/test.mjs`)
import { spawnSync } from 'node:child_process';

const DEFAULT_TIMES = [
  // Saturday 5 December 2026, 12:00 New York: every US market closed
  '2026-12-05 17:00:00 UTC',
  // Wednesday 2 December 2026, 03:00 New York: stocks closed, futures and forex overnight
  '2026-12-02 08:00:00 UTC',
];

const args = process.argv.slice(2);
const times = [];
const suites = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--at') times.push(args[++i]);
  else suites.push(args[i]);
}

function ensureFaketime() {
  if (spawnSync('faketime', ['-h'], { stdio: 'ignore' }).status === 0) return;
  console.log('[any-hour] installing faketime (Debian package)');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (...a) =>
    spawnSync(sudo.length ? 'sudo' : 'apt-get', [...(sudo.length ? ['apt-get'] : []), ...a], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  if (apt('install', '-y', '-q', 'faketime').status !== 0) {
    apt('update', '-q');
    if (apt('install', '-y', '-q', 'faketime').status !== 0) throw new Error('could not install faketime (apt-get install faketime)');
  }
}

ensureFaketime();
const results = [];
for (const at of times.length ? times : DEFAULT_TIMES) {
  console.log(`\n[any-hour] ===== npm test with the clock at ${at} =====`);
  const started = Date.now();
  const r = spawnSync('faketime', [at, process.execPath, 'scripts/test.mjs', ...suites], { stdio: 'inherit' });
  results.push({ at, code: r.status ?? 1, minutes: ((Date.now() - started) / 60_000).toFixed(1) });
}
console.log('\n[any-hour] ===== summary =====');
for (const r of results) console.log(`  ${r.at}: ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`} in ${r.minutes} min`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
