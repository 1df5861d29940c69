#!/usr/bin/env node
// Installs Go (Debian's golang-go) for the Go example's tests (examples/go),
// as scripts/vscode/install.mjs installs Chromium: apt-get as root, sudo
// otherwise; nothing to do when `go` is already on the PATH.
import { execFileSync, spawnSync } from 'node:child_process';

const log = (msg) => console.log(`[go-install] ${msg}`);

function goVersion() {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const found = goVersion();
if (found) {
  log(`present: ${found}`);
} else {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => execFileSync(root ? args[0] : 'sudo', root ? args.slice(1) : args, { stdio: 'inherit', env });
  log('installing Debian package golang-go');
  try {
    run(['apt-get', 'update']);
    run(['apt-get', 'install', '-y', 'golang-go']);
  } catch (err) {
    console.error(`installing golang-go failed (${err instanceof Error ? err.message : String(err)}); as root run: apt-get install -y golang-go`);
    process.exit(1);
  }
  const now = goVersion();
  if (!now) {
    console.error('golang-go was installed but `go` is not on the PATH');
    process.exit(1);
  }
  log(`installed: ${now}`);
}
