#!/usr/bin/env node
// Runs the in-editor mocha suite (test/extension/suite) inside a real VS Code:
// code-server's VS Code server with the smoke-test driver, opened by Chromium
// with the extension-development payload in the address. The extension host
// reports through codeAutomationLog / codeAutomationExit; this process prints
// the log and exits with the tests' code. Every process it starts is ended
// afterwards, also on failure, SIGINT or the time limit.
//   node scripts/vscode/run-in-host.mjs
// Environment: IB_TEST_GREP (mocha grep), IB_VSCODE_TIMEOUT_MS (default 480000: a guard against a hang; the whole suite takes about 4.5 min),
// IB_CODE_SERVER_VERSION (oldest, the default: VS Code 1.100; newest; or a version: see install.mjs),
// IB_VSCODE_VERBOSE=1 (server and browser console), IB_FOCUS_LOG=1 (focus changes), IB_KEEP_SANDBOX=1.
// IB_UNTRUSTED=1: workspace trust on and the folder not trusted, its
// .vscode/settings.json pointing the connection elsewhere (as a hostile
// repository would); only the "untrusted workspace" suite runs. (VS Code
// refuses modal dialogs while extension tests run: every question is a no.)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { format } from 'node:util';
import { ensureVsCode, repoRoot } from './install.mjs';
import { compileExtensionTests } from './compile-tests.mjs';
import {
  cleanupOnExit,
  freePort,
  killGroup,
  launchBrowser,
  makeSandbox,
  simulatedTime,
  startServer,
  startSimulator,
  workbenchUrl,
  writeSettings,
} from './workbench.mjs';

const timeoutMs = Number(process.env.IB_VSCODE_TIMEOUT_MS || 480_000);
const verbose = Boolean(process.env.IB_VSCODE_VERBOSE);
const untrusted = Boolean(process.env.IB_UNTRUSTED);
const started = Date.now();

async function main() {
  const paths = ensureVsCode();

  // the benchmarks measure the build that ships
  const build = spawnSync(
    process.execPath,
    ['esbuild.mjs', '--only', 'extension,webview', ...(process.env.IB_BENCH && !process.env.IB_BENCH_DEV ? ['--production'] : [])],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) throw new Error('building the extension failed');
  const { runnerPath } = await compileExtensionTests();

  const sandbox = makeSandbox(untrusted ? 'in-host-untrusted' : 'in-host');
  // the suite checks it runs in the VS Code it was meant to (1.100 by default, see install.mjs)
  const testEnv = { IB_TEST_RUN: 'in-host', IB_VSCODE_VERSION: paths.vscodeVersion ?? '' };
  console.log(
    `[vscode] code-server ${paths.version} (VS Code ${paths.vscodeVersion}) on ${paths.node === process.execPath ? `Node ${process.version}` : `the Node in ${relative(repoRoot, paths.node)}`}`,
  );
  if (untrusted) {
    writeSettings(sandbox, {
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'never',
    });
    // what a hostile repository's settings would say: a gateway of its choosing, client id 0, connect and squat a port at once
    const hostilePort = await freePort();
    const squatPort = await freePort();
    const bridgePort = await freePort();
    mkdirSync(join(sandbox.dirs.workspace, '.vscode'), { recursive: true });
    const hostile = {
      'jax.ib.enabled': true,
      'jax.ib.host': '127.0.0.1',
      'jax.ib.port': hostilePort,
      'jax.ib.clientId': 0,
      'jax.ib.autoConnect': true,
      'jax.ib.simulator.autoStart': true,
      'jax.ib.simulator.port': squatPort,
      'jax.ib.bridge.enabled': true,
      'jax.ib.bridge.port': bridgePort,
    };
    writeFileSync(join(sandbox.dirs.workspace, '.vscode', 'settings.json'), JSON.stringify(hostile, null, 2));
    Object.assign(testEnv, {
      IB_TEST_UNTRUSTED: '1',
      IB_HOSTILE_PORT: String(hostilePort),
      IB_SQUAT_PORT: String(squatPort),
      IB_BRIDGE_PORT: String(bridgePort),
      IB_TEST_GREP: process.env.IB_TEST_GREP || 'untrusted workspace',
    });
  } else {
    writeSettings(sandbox, {});
  }
  // the benchmarks also install an extension that does nothing, as the activation baseline
  if (process.env.IB_BENCH)
    cpSync(join(repoRoot, 'test/extension/baseline'), join(sandbox.dirs.extensions, 'jax-tools.activation-baseline-0.0.0'), { recursive: true });
  let server;
  let context;
  let sim;
  const cleanup = cleanupOnExit(sandbox, [
    async () => context && (await context.close()),
    async () => server && killGroup(server.pid),
    async () => sim && (await sim.sim.stop()),
  ]);
  const limit = setTimeout(() => {
    console.error(`[vscode] time limit of ${timeoutMs / 1000} s reached: stopping`);
    if (server && !verbose) console.error(server.log().slice(-4000));
    cleanup().finally(() => process.exit(124));
  }, timeoutMs);

  try {
    // the suite's market time: a regular session, whatever the wall clock says (also for
    // the simulated gateway the extension itself starts, through IB_SIM_START)
    const simEnv = { IB_SIM_START: new Date(await simulatedTime('regularSession')).toISOString() };
    if (!process.env.IB_SIM_PORT) {
      sim = await startSimulator({ at: 'regularSession', tickIntervalMs: 100 });
      if (sim) Object.assign(simEnv, { IB_SIM_HOST: sim.host, IB_SIM_PORT: String(sim.port) });
    }
    server = await startServer(paths, sandbox, { env: { ...simEnv, ...testEnv }, verbose });
    context = await launchBrowser(paths, sandbox);

    let finish;
    const exitCode = new Promise((resolveExit) => (finish = resolveExit));
    // the workbench calls codeAutomationLog(level, [printf-style arguments])
    await context.exposeFunction('codeAutomationLog', (level, args) => {
      let text = Array.isArray(args) ? format(...args) : format(level, args ?? '');
      // the workbench's own stack frames (minified bundle) say nothing about the tests
      if (!verbose)
        text = text
          .split('\n')
          .filter((l) => !/^\s+at .*\/static\/out\/vs\//.test(l))
          .join('\n');
      if (level === 'error') process.stderr.write(text.endsWith('\n') ? text : text + '\n');
      else process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    });
    await context.exposeFunction('codeAutomationExit', (code) => {
      finish(typeof code === 'number' ? code : 1);
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('crash', () => {
      console.error('[vscode] the workbench page crashed');
      finish(1);
    });
    if (verbose) page.on('console', (m) => console.log(`[browser:${m.type()}] ${m.text()}`));
    // IB_FOCUS_LOG=1: every keyboard focus change in the window, with its time (what took the focus from a quick input)
    if (process.env.IB_FOCUS_LOG) {
      page.on('console', (m) => m.text().startsWith('FOCUS') && console.log(`[${new Date().toISOString().slice(11)}] ${m.text()}`));
      await page.addInitScript(() => {
        const name = (el) =>
          el && el.nodeType === 1
            ? `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} [${(el.getAttribute('aria-label') || '').slice(0, 40)}]`
            : String(el);
        globalThis.document.addEventListener('focusin', (e) => console.log(`FOCUS in ${name(e.target)}`), true);
        globalThis.document.addEventListener('focusout', (e) => console.log(`FOCUS out ${name(e.target)} -> ${name(e.relatedTarget)}`), true);
      });
    }
    const url = workbenchUrl(server, sandbox.dirs.workspace, {
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: runnerPath,
    });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    console.log('[vscode] workbench open, tests running in the extension host');
    const code = await exitCode;
    clearTimeout(limit);
    await cleanup();
    console.log(`[vscode] in-host tests ended with exit code ${code} after ${Math.round((Date.now() - started) / 1000)} s`);
    return code;
  } catch (err) {
    clearTimeout(limit);
    if (server) console.error(server.log().slice(-4000));
    await cleanup();
    throw err;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[vscode] ${err instanceof Error ? err.stack || err.message : String(err)}`);
    process.exit(1);
  },
);
