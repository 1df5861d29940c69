#!/usr/bin/env node
// Installs what the in-editor and browser tests need, once, and reuses it:
//   - Debian packages: chromium (the browser), libkrb5-dev (code-server's kerberos
//     addon compiles against it), ripgrep (VS Code's search), fonts (screenshots
//     with readable text);
//   - code-server (a real VS Code server from npm) into .cache/code-server/.
// A marker file records a finished install; later runs only check it.
//   node scripts/vscode/install.mjs          install if needed, print the paths
//   node scripts/vscode/install.mjs --force  reinstall code-server
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev', 'ripgrep', 'fonts-dejavu-core'];

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = join(repoRoot, '.cache', 'code-server');
const markerFile = join(cacheDir, 'installed.json');
const codeServerDir = join(cacheDir, 'node_modules', 'code-server');

/** Paths of an installed code-server and browser. */
export function vscodePaths() {
  const vscodeDir = join(codeServerDir, 'lib', 'vscode');
  return {
    codeServerDir,
    codeServerBin: join(codeServerDir, 'out', 'node', 'entry.js'),
    vscodeDir,
    serverMain: join(vscodeDir, 'out', 'server-main.js'),
    chromium: '/usr/bin/chromium',
  };
}

// Native addons code-server needs at run time; a silently skipped install script
// leaves them unbuilt, which only shows up later as a blank workbench.
function nativeModules() {
  const { vscodeDir } = vscodePaths();
  return [
    join(vscodeDir, 'node_modules', 'node-pty'),
    join(vscodeDir, 'node_modules', '@vscode', 'spdlog'),
    join(vscodeDir, 'node_modules', 'kerberos'),
    join(vscodeDir, 'node_modules', '@parcel', 'watcher'),
    join(vscodeDir, 'node_modules', 'native-watchdog'),
  ];
}

const log = (msg) => console.log(`[vscode-install] ${msg}`);

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((pkg) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function ensureDebianPackages() {
  const missing = missingDebianPackages();
  if (missing.length === 0) {
    log(`Debian packages present: ${DEBIAN_PACKAGES.join(', ')}`);
    return;
  }
  const prefix = isRoot() ? [] : ['sudo'];
  log(`installing Debian packages: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => execFileSync(prefix.length ? prefix[0] : args[0], prefix.length ? args : args.slice(1), { stdio: 'inherit', env });
  try {
    run(['apt-get', 'update']);
    run(['apt-get', 'install', '-y', ...missing]);
  } catch (err) {
    throw new Error(`installing Debian packages failed (${err instanceof Error ? err.message : String(err)}); as root run: apt-get install -y ${missing.join(' ')}`);
  }
  const still = missingDebianPackages();
  if (still.length) throw new Error(`could not install Debian packages: ${still.join(', ')}`);
}

// @vscode/ripgrep's postinstall downloads ripgrep from GitHub unless its cache
// already holds the tarball: put Debian's rg there.
function seedRipgrepCache(tmpDir) {
  const dir = join(tmpDir, RIPGREP_CACHE);
  const tarball = join(dir, RIPGREP_TARBALL);
  if (existsSync(tarball)) return;
  const staging = join(tmpDir, 'rg-staging');
  mkdirSync(staging, { recursive: true });
  mkdirSync(dir, { recursive: true });
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim() || '/usr/bin/rg';
  copyFileSync(rg, join(staging, 'rg'));
  chmodSync(join(staging, 'rg'), 0o755);
  execFileSync('tar', ['-czf', tarball, '-C', staging, 'rg']);
  log(`seeded the ripgrep download cache with ${rg}`);
}

function checkNativeModules() {
  const problems = [];
  for (const dir of nativeModules()) {
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(dir)})`], { encoding: 'utf8' });
    if (r.status !== 0) problems.push(`${dir.slice(cacheDir.length + 1)}: ${(r.stderr || '').split('\n').find((l) => /Error/.test(l)) || 'does not load'}`);
  }
  return problems;
}

function installed() {
  if (!existsSync(markerFile)) return false;
  try {
    const marker = JSON.parse(readFileSync(markerFile, 'utf8'));
    return marker.version === CODE_SERVER_VERSION && marker.node === process.versions.modules && existsSync(vscodePaths().serverMain);
  } catch {
    return false;
  }
}

function installCodeServer() {
  const started = Date.now();
  log(`installing code-server@${CODE_SERVER_VERSION} into ${cacheDir.slice(repoRoot.length + 1)} (about 1.5 minutes, once)`);
  rmSync(cacheDir, { recursive: true, force: true });
  const tmpDir = join(cacheDir, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'vscode-test-cache', private: true }, null, 2) + '\n');
  seedRipgrepCache(tmpDir);
  const env = {
    ...process.env,
    TMPDIR: tmpDir,
    // node-pty's install runs `npx node-gyp`, which aborts without a terminal unless told yes
    npm_config_yes: 'true',
    // code-server and its nested installs run install scripts that build native
    // addons; this npm only runs approved dependency scripts, so allow them here
    // (this cache folder only, never the project itself)
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  const r = spawnSync('npm', ['install', '--unsafe-perm', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: cacheDir,
    env,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status})`);
  if (!existsSync(vscodePaths().serverMain)) throw new Error(`code-server installed without ${vscodePaths().serverMain}`);
  const problems = checkNativeModules();
  if (problems.length) throw new Error(`code-server's native modules did not build:\n  ${problems.join('\n  ')}`);
  rmSync(tmpDir, { recursive: true, force: true });
  writeFileSync(markerFile, JSON.stringify({ version: CODE_SERVER_VERSION, node: process.versions.modules, at: new Date().toISOString() }, null, 2) + '\n');
  log(`code-server ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Installs whatever is missing and returns the paths of the installation. */
export function ensureVsCode({ force = false } = {}) {
  ensureDebianPackages();
  if (force || !installed()) installCodeServer();
  else log(`code-server@${CODE_SERVER_VERSION} cached in ${cacheDir.slice(repoRoot.length + 1)}`);
  return vscodePaths();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const paths = ensureVsCode({ force: process.argv.includes('--force') });
    log(`server: ${paths.serverMain.slice(repoRoot.length + 1)}`);
  } catch (err) {
    console.error(`[vscode-install] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
