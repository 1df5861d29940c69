// Shared pieces of the code-server launchers: an isolated sandbox per run, the
// VS Code server (code-server's bundled server-main.js with the smoke-test
// driver), Chromium through playwright-core, the simulator, and a clean-up that
// always ends every process group it started.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './install.mjs';

/** Headless Chromium's flags, shared with the integration tests' browser. */
export const BROWSER_ARGS = createRequire(import.meta.url)('./chromium-args.json');

const say = (msg) => console.log(`[vscode] ${msg}`);

/** A fresh folder tree for one run, and the environment that points every tool into it. */
export function makeSandbox(name) {
  const root = mkdtempSync(join(tmpdir(), `ib-${name}-`));
  const dirs = {
    root,
    home: join(root, 'home'),
    tmp: join(root, 'tmp'),
    userData: join(root, 'user-data'),
    serverData: join(root, 'server-data'),
    extensions: join(root, 'extensions'),
    browserProfile: join(root, 'browser'),
    workspace: join(root, 'workspace'),
    xdgConfig: join(root, 'xdg', 'config'),
    xdgData: join(root, 'xdg', 'data'),
    xdgCache: join(root, 'xdg', 'cache'),
    xdgState: join(root, 'xdg', 'state'),
    xdgRuntime: join(root, 'xdg', 'runtime'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true, mode: 0o700 });
  const env = {
    ...process.env,
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    XDG_STATE_HOME: dirs.xdgState,
    XDG_RUNTIME_DIR: dirs.xdgRuntime,
    VSCODE_CLI: undefined,
    ELECTRON_RUN_AS_NODE: undefined,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return { dirs, env };
}

/** Writes user settings where the web workbench and the server both read them. */
export function writeSettings(sandbox, settings) {
  const text = JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'extensions.ignoreRecommendations': true,
      'git.enabled': false,
      'chat.disableAIFeatures': true,
      'workbench.enableExperiments': false,
      'window.restoreWindows': 'none',
      // VS Code's port detection scans every /proc/<pid> and runs ls and ps in the extension host every few seconds
      // (with a tunnel provider, as code-server has, only the source setting turns it off)
      'remote.autoForwardPorts': false,
      'remote.autoForwardPortsSource': 'output',
      ...settings,
    },
    null,
    2,
  );
  for (const dir of [join(sandbox.dirs.userData, 'User'), join(sandbox.dirs.serverData, 'data', 'Machine'), join(sandbox.dirs.serverData, 'data', 'User')]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'settings.json'), text + '\n');
  }
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

function httpStatus(url) {
  return new Promise((resolveStatus) => {
    const req = request(url, { method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      resolveStatus(res.statusCode ?? 0);
    });
    req.on('error', () => resolveStatus(0));
    req.on('timeout', () => {
      req.destroy();
      resolveStatus(0);
    });
    req.end();
  });
}

/** Ends a whole process group (negative pid), quietly if it is already gone. */
export function killGroup(pid, signal = 'SIGKILL') {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs a command of the VS Code server CLI to completion (e.g. --install-extension),
 * in its own process group.
 */
export function serverCli(paths, sandbox, args, { timeoutMs = 120_000 } = {}) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(
      paths.node ?? process.execPath,
      [
        paths.serverMain,
        '--accept-server-license-terms',
        '--server-data-dir',
        sandbox.dirs.serverData,
        '--user-data-dir',
        sandbox.dirs.userData,
        '--extensions-dir',
        sandbox.dirs.extensions,
        ...args,
      ],
      { cwd: sandbox.dirs.workspace, env: sandbox.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      killGroup(child.pid);
      reject(new Error(`server CLI ${args.join(' ')} timed out:\n${out}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup(child.pid);
      if (code === 0) resolveRun(out);
      else reject(new Error(`server CLI ${args.join(' ')} exited ${code}:\n${out}`));
    });
  });
}

/** Starts the VS Code server with the smoke-test driver; resolves once it answers HTTP. */
export async function startServer(paths, sandbox, { env = {}, verbose = false } = {}) {
  const port = await freePort();
  const child = spawn(
    paths.node ?? process.execPath,
    [
      paths.serverMain,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--enable-smoke-test-driver',
      '--telemetry-level',
      'off',
      '--server-data-dir',
      sandbox.dirs.serverData,
      '--user-data-dir',
      sandbox.dirs.userData,
      '--extensions-dir',
      sandbox.dirs.extensions,
    ],
    { cwd: sandbox.dirs.workspace, env: { ...sandbox.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  const keep = (d) => {
    log += d.toString();
    if (log.length > 200_000) log = log.slice(-100_000);
    if (verbose) process.stdout.write(`[server] ${d}`);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  child.on('exit', (code) => (exited = code ?? -1));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`the VS Code server exited (${exited}) before it answered:\n${log}`);
    if ((await httpStatus(`${base}/version`)) === 200 || (await httpStatus(`${base}/`)) === 200) {
      say(`server up on port ${port}`);
      return { port, base, pid: child.pid, child, log: () => log };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  killGroup(child.pid);
  throw new Error(`the VS Code server did not answer within 60 s:\n${log}`);
}

/** The workbench address for a folder, with the extension-development payload if given. */
export function workbenchUrl(server, folder, { extensionDevelopmentPath, extensionTestsPath } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  let url = `${server.base}/?folder=${encodeURIComponent(folder)}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Chromium (Debian's) through playwright-core, in the sandbox's profile. */
export async function launchBrowser(paths, sandbox, { viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(sandbox.dirs.browserProfile, {
    executablePath: paths.chromium,
    headless: true,
    args: BROWSER_ARGS,
    env: sandbox.env,
    viewport,
    deviceScaleFactor: 1,
    timeout: 60_000,
  });
  return context;
}

/**
 * Starts the simulator from the sources (through tsx), if the simulator exists.
 * Returns undefined when it does not, so suites that need no market still run.
 */
export async function startSimulator({ at, ...options } = {}) {
  const entry = join(repoRoot, 'src', 'sim', 'server.ts');
  if (!existsSync(entry)) {
    say('no simulator sources (src/sim/server.ts): running without one');
    return undefined;
  }
  const { tsImport } = await import('tsx/esm/api');
  const mod = await tsImport(pathToFileURL(entry).href, import.meta.url);
  const SimServer = mod.SimServer ?? mod.default?.SimServer;
  const sim = new SimServer({ host: '127.0.0.1', port: 0, clock: { start: await simulatedTime(at) }, ...options });
  const address = await sim.start();
  say(`simulator on ${address.host}:${address.port}, market clock from ${new Date(sim.clock.start).toISOString()} (${at})`);
  return { sim, ...address };
}

/**
 * Epoch ms of a named simulated instant (test/support/market-times.ts). A run
 * never inherits the wall clock: the caller names the market time it needs.
 */
export async function simulatedTime(name) {
  const { tsImport } = await import('tsx/esm/api');
  const mod = await tsImport(pathToFileURL(join(repoRoot, 'test', 'support', 'market-times.ts')).href, import.meta.url);
  const times = mod.MARKET_TIMES ?? mod.default?.MARKET_TIMES;
  if (!name || !(name in times)) throw new Error(`name the simulated market time (one of ${Object.keys(times).join(', ')}), not ${JSON.stringify(name)}`);
  return Date.parse(times[name]);
}

/**
 * Registers one clean-up for a run: called on normal end, failures, the time
 * limit and SIGINT/SIGTERM. Idempotent.
 */
export function cleanupOnExit(sandbox, steps) {
  let done = false;
  const cleanup = async () => {
    if (done) return;
    done = true;
    for (const step of steps) {
      try {
        await Promise.race([step(), new Promise((r) => setTimeout(r, 5000))]);
      } catch {
        // keep cleaning
      }
    }
    if (!process.env.IB_KEEP_SANDBOX) rmSync(sandbox.dirs.root, { recursive: true, force: true });
    else say(`sandbox kept: ${sandbox.dirs.root}`);
  };
  const onSignal = (signal) => {
    say(`${signal}: stopping`);
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return cleanup;
}
