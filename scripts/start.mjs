#!/usr/bin/env node
// `npm start`: the demo on a fresh machine. Builds the extension, prepares a
// demo folder whose settings start the simulated gateway (inside the extension,
// on a free loopback port it prints) with a watchlist, and opens the extension
// in a real VS Code: your own `code` when there is one, otherwise the VS Code
// (code-server) that the editor tests install, served on a loopback address.
//
//   npm start                     as above
//   npm start -- --code-server    use code-server even when `code` is installed
//   npm start -- --port 7497      the simulated gateway's port (default: a free one)
//   npm start -- --check          code-server only: open it in headless Chromium,
//                                 wait for the watchlist to stream, save a
//                                 screenshot to test-results/, then stop; its
//                                 market time is pinned to a regular session
//                                 (--at <name> from test/support/market-times.ts)
//   npm start -- --folder <dir>   open that folder instead of the generated demo
//                                 one (its own settings: the F5 launch
//                                 configuration's examples/demo-workspace)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ensureVsCode, repoRoot } from './vscode/install.mjs';
import {
  cleanupOnExit,
  freePort,
  killGroup,
  launchBrowser,
  makeSandbox,
  simulatedTime,
  startServer,
  workbenchUrl,
  writeSettings,
} from './vscode/workbench.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const say = (msg) => console.log(`[start] ${msg}`);

/** The E-mini S&P 500 front quarter: this quarter's month until mid-month, else the next. */
function esFrontMonth(now = new Date()) {
  let y = now.getUTCFullYear();
  let m = now.getUTCMonth() + 1;
  if (m % 3 === 0 && now.getUTCDate() > 14) m += 1; // past this quarter's expiry
  m = Math.ceil(m / 3) * 3;
  if (m > 12) {
    m -= 12;
    y += 1;
  }
  return `${y}${String(m).padStart(2, '0')}`;
}

// --check names its market time; the demo itself runs in the last regular session before now
const pinnedStart = flag('--check') || option('--at') ? await simulatedTime(option('--at') ?? 'regularSession') : undefined;
const WATCHLIST = ['AAPL', 'MSFT', 'SPY', 'EUR.USD', `ES ${esFrontMonth(pinnedStart !== undefined ? new Date(pinnedStart) : new Date())} FUT@CME`];

function build() {
  say('building the extension, the chart webview and the simulator');
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the build failed');
}

/** A folder with the demo's settings and a jax config, under the ignored cache folder. */
function demoFolder(simPort) {
  const dir = join(repoRoot, '.cache', 'demo-workspace');
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  mkdirSync(join(dir, 'config'), { recursive: true });
  const settings = {
    'jax.ib.enabled': true,
    'jax.ib.host': '127.0.0.1',
    'jax.ib.port': simPort,
    'jax.ib.clientId': 1,
    'jax.ib.autoConnect': true,
    'jax.ib.watchlist': WATCHLIST,
    'jax.ib.marketDataType': 'auto',
    'jax.ib.simulator.autoStart': true,
    'jax.ib.simulator.port': simPort,
    'jax.ib.simulator.seed': 42,
  };
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  const jax = { ib: { enabled: true, host: '127.0.0.1', port: simPort, client_id: 1 } };
  writeFileSync(join(dir, 'config', 'jax-ingest-ib.json'), JSON.stringify(jax, null, 2) + '\n');
  return dir;
}

function hasCode() {
  if (flag('--code-server') || flag('--check')) return false;
  const r = spawnSync('code', ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

function openInCode(folder) {
  say(`opening VS Code: code --extensionDevelopmentPath=${repoRoot} ${folder}`);
  const child = spawn('code', ['--new-window', `--extensionDevelopmentPath=${repoRoot}`, folder], { stdio: 'inherit', detached: true });
  child.unref();
  say('the watchlist streams once the window is open (IB Gateway in the activity bar)');
}

async function waitForStreaming(page) {
  const deadline = Date.now() + 120_000;
  let text = '';
  while (Date.now() < deadline) {
    text =
      (await page
        .locator('#workbench\\.parts\\.statusbar')
        .innerText()
        .catch(() => '')) || '';
    const list = page.locator('#workbench\\.parts\\.sidebar .monaco-list-row');
    const aapl = await list
      .filter({ hasText: 'AAPL' })
      .count()
      .catch(() => 0);
    const rows = aapl > 0 ? await list.count().catch(() => 0) : 0;
    if (/IB SIMULATED .*[1-9]\d* streaming/.test(text.replace(/\s+/g, ' ')) && rows > 0) return { text, rows };
    await page.waitForTimeout(1000);
  }
  throw new Error(`the watchlist did not stream within 120 s; status bar: ${text}`);
}

async function openInCodeServer(folder, simPort) {
  const paths = ensureVsCode();
  const sandbox = makeSandbox('demo');
  writeSettings(sandbox, { 'workbench.colorTheme': 'Default Dark Modern' });
  let server;
  let browser;
  const cleanup = cleanupOnExit(sandbox, [async () => browser && (await browser.close()), async () => server && killGroup(server.pid)]);
  try {
    server = await startServer(paths, sandbox, { env: pinnedStart !== undefined ? { IB_SIM_START: new Date(pinnedStart).toISOString() } : {} });
    const url = workbenchUrl(server, folder, { extensionDevelopmentPath: repoRoot });
    if (!flag('--check')) {
      say(`VS Code is served on http://127.0.0.1:${server.port}/`);
      say(`open this address in a browser on this machine (it loads the extension and the demo folder):\n\n  ${url}\n`);
      say(
        `${simPort ? `the simulated gateway listens on 127.0.0.1:${simPort}` : 'the folder’s settings start the simulated gateway'} once the workbench is open; press Ctrl+C to stop`,
      );
      await new Promise(() => undefined);
      return;
    }
    browser = await launchBrowser(paths, sandbox);
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const { text, rows } = await waitForStreaming(page);
    say(`status bar: ${text.replace(/\s+/g, ' ').trim()}`);
    say(`watchlist rows: ${rows}`);
    await page.waitForTimeout(2000);
    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    const shot = join(repoRoot, 'test-results', option('--folder') ? `npm-start-${basename(folder)}.png` : 'npm-start.png');
    await page.screenshot({ path: shot });
    say(`screenshot: ${shot.slice(repoRoot.length + 1)}`);
  } finally {
    await cleanup();
  }
}

async function main() {
  const requested = Number(option('--port'));
  const simPort = Number.isInteger(requested) && requested > 0 && requested < 65536 ? requested : await freePort();
  build();
  const own = option('--folder');
  const folder = own ? resolve(own) : demoFolder(simPort);
  if (own) say(`folder: ${folder} (its own settings)`);
  else say(`demo folder: ${folder.slice(repoRoot.length + 1)} (simulated gateway on 127.0.0.1:${simPort}, watchlist ${WATCHLIST.join(', ')})`);
  if (hasCode()) openInCode(folder);
  else await openInCodeServer(folder, own ? undefined : simPort);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
