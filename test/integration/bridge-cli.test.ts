/**
 * The headless bridge from a fresh build (dist/bridge.js): on the simulator,
 * from a jax config that names host.docker.internal, refusing what it must,
 * and stopping cleanly on SIGTERM and SIGINT.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { request, SESSION_OPEN } from './support/bridge';
import { connectApi, startSim, type StartedSim } from './support/sim';
import { NOTICE_LOG_LIMIT } from '../../src/ib/notice-throttle';
import { quietFor } from '../support/wait';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'dist/bridge.js');

interface Running {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [SCRIPT, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buf = '';
  const onData = (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const t0 = Date.now();
        const poll = setInterval(() => {
          const m = lines.map((l) => pattern.exec(l)).find((x) => x);
          if (m || Date.now() - t0 > timeoutMs || child.exitCode !== null) {
            clearInterval(poll);
            if (m) resolve(m);
            else reject(new Error(`no line like ${pattern} in:\n${lines.join('\n')}`));
          }
        }, 20);
      });
    },
  };
}

async function waitHealthy(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const h = await request(`${url}/health`);
    if ((h.json as { connected?: boolean }).connected) return;
    await quietFor(100);
  }
  throw new Error('never connected');
}

describe('jax bridge: the headless command line', function () {
  this.timeout(120_000);
  let running: Running | undefined;
  let sim: StartedSim | undefined;
  let dir: string | undefined;

  before(() => {
    execFileSync(process.execPath, ['esbuild.mjs', '--only', 'bridge'], { cwd: ROOT, stdio: 'inherit' });
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
    running = undefined;
    await sim?.stop();
    sim = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--simulated --sim-start: serves quotes and candles of the pinned clock, and stops on SIGTERM with exit code 0', async () => {
    running = run(['--simulated', '--sim-start', new Date(SESSION_OPEN).toISOString(), '--port', '0']);
    const [, url] = await running.waitFor(/jax bridge serving at (http:\/\/127\.0\.0\.1:\d+)/);
    await running.waitFor(/clock 2026-11-17T15:00/);
    await waitHealthy(url);
    const q = await request(`${url}/quotes/AAPL`);
    assert.equal(q.status, 200, q.text);
    assert.ok(Math.abs(Date.parse((q.json as { timestamp: string }).timestamp) - SESSION_OPEN) < 3_600_000);
    const c = await request(`${url}/candles/AAPL?timeframe=5m&limit=10`);
    assert.equal((c.json as { count: number }).count, 10, c.text);
    running.child.kill('SIGTERM');
    assert.equal(await running.exited, 0);
    assert.ok(running.lines.some((l) => /SIGTERM: stopping/.test(l)));
  });

  it('--simulated, then POST /connect to another gateway: /health names the gateway, not simulated, and the way back to its own', async () => {
    running = run(['--simulated', '--sim-start', new Date(SESSION_OPEN).toISOString(), '--port', '0']);
    const [, url] = await running.waitFor(/jax bridge serving at (http:\/\/127\.0\.0\.1:\d+)/);
    const [, own] = await running.waitFor(/simulated gateway on (127\.0\.0\.1:\d+)/);
    await waitHealthy(url);
    const health = async () => (await request(`${url}/health`)).json as { gateway: string; simulated: boolean; simulator?: string; connected: boolean };
    assert.deepEqual(await health().then(({ gateway, simulated, simulator }) => ({ gateway, simulated, simulator })), {
      gateway: own,
      simulated: true,
      simulator: own,
    });
    // another gateway (a second simulator with a paper account's name, standing in for IB Gateway): not simulated
    sim = await startSim({ clock: { start: SESSION_OPEN }, account: 'DU7654321' });
    const away = await request(`${url}/connect`, 'POST', { host: '127.0.0.1', port: sim.port, client_id: 71 });
    assert.equal((away.json as { success: boolean }).success, true, away.text);
    assert.deepEqual(await health().then(({ gateway, simulated, simulator }) => ({ gateway, simulated, simulator })), {
      gateway: `127.0.0.1:${sim.port}`,
      simulated: false,
      simulator: own,
    });
    // and back, by the address /health gives
    const back = await request(`${url}/connect`, 'POST', { host: 'localhost', port: Number(own.split(':')[1]), client_id: 72 });
    assert.equal((back.json as { success: boolean }).success, true, back.text);
    assert.equal((await health()).simulated, true);
  });

  it('--config: reads the jax config ib block, connects to 127.0.0.1 for host.docker.internal and says why; stops on SIGINT', async () => {
    sim = await startSim({ clock: { start: SESSION_OPEN } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-cli-'));
    const config = path.join(dir, 'jax-ingest-ib.json');
    fs.writeFileSync(
      config,
      JSON.stringify({ ingest: { symbols: ['AAPL'] }, ib: { enabled: true, host: 'host.docker.internal', port: sim.port, client_id: 77 } }),
    );
    running = run(['--config', config, '--port', '0']);
    const [, url] = await running.waitFor(/jax bridge serving at (http:\/\/127\.0\.0\.1:\d+)/);
    await running.waitFor(/host\.docker\.internal.*connects to 127\.0\.0\.1/);
    await waitHealthy(url);
    assert.equal((await request(`${url}/quotes/MSFT`)).status, 200);
    assert.ok(
      sim.server.activeMarketData().some((l) => l.clientId === 77),
      'connected with the config client id',
    );
    running.child.kill('SIGINT');
    assert.equal(await running.exited, 0);
  });

  it('a client id in use at start (326): keeps trying, and connects once the other client has gone', async () => {
    sim = await startSim({ clock: { start: SESSION_OPEN } });
    const other = await connectApi(sim.port, 78);
    running = run(['--ib-port', String(sim.port), '--client-id', '78', '--port', '0']);
    const [, url] = await running.waitFor(/jax bridge serving at (http:\/\/127\.0\.0\.1:\d+)/);
    await running.waitFor(/not connected to .*(in use|326)/i);
    await running.waitFor(/trying again in the background/);
    // the bridge keeps knocking with the backoff while the id is held
    await running.waitFor(/reconnect attempt 1 failed/);
    // /health says why it is not connected, not only that it is not
    const h = (await request(`${url}/health`)).json as { connected: boolean; detail: string };
    assert.equal(h.connected, false);
    assert.match(h.detail, /^Not connected to IB Gateway\/TWS at 127\.0\.0\.1:\d+; trying again.*Client id 78 is in use/);
    await other.disconnect();
    await waitHealthy(url);
    assert.equal((await request(`${url}/quotes/AAPL`)).status, 200);
  });

  it("logs the gateway's notices (IB's link lost, back), a flood of one code cut to its first lines and a count", async () => {
    sim = await startSim({ clock: { start: SESSION_OPEN } });
    running = run(['--ib-port', String(sim.port), '--client-id', '80', '--port', '0']);
    const [, url] = await running.waitFor(/jax bridge serving at (http:\/\/127\.0\.0\.1:\d+)/);
    await waitHealthy(url);
    sim.server.faults.connectivityLost();
    await running.waitFor(/warn IB 1100: Connectivity between IB and Trader Workstation has been lost\./);
    for (let i = 0; i < 200; i++) sim.server.faults.connectivityRestored(true);
    // a notice sent after the flood: once it is logged, every 1101 before it was read
    sim.server.faults.connectivityRestored(false);
    await running.waitFor(/ IB 1102: Connectivity between IB and Trader Workstation has been restored - data maintained\./);
    const logged = running.lines.filter((l) => /IB 1101: Connectivity between IB and Trader Workstation has been restored - data lost\./.test(l)).length;
    assert.equal(logged, NOTICE_LOG_LIMIT, 'the 1101 flood cut to its first lines');
  });

  it('POST /connect while the gateway is away does not stop the retries: the bridge connects when it is back', async () => {
    sim = await startSim({ clock: { start: SESSION_OPEN } });
    const port = sim.port;
    running = run(['--ib-port', String(port), '--client-id', '79', '--port', '0']);
    const [, url] = await running.waitFor(/jax bridge serving at (http:\/\/127\.0\.0\.1:\d+)/);
    await waitHealthy(url);
    await sim.stop();
    sim = undefined;
    await running.waitFor(/reconnect attempt \d+ in/);
    // the on-call engineer's kick, while nothing listens
    const kick = await request(`${url}/connect`, 'POST');
    assert.equal((kick.json as { success: boolean }).success, false, kick.text);
    // a data request says what the bridge is doing about it, not "start the gateway or POST /connect"
    const away = await request(`${url}/quotes/AAPL`);
    assert.equal(away.status, 503);
    assert.match((away.json as { detail: string }).detail, /trying again \(attempt \d+\)\. IB Gateway\/TWS is not reachable/);
    // when to ask again: the next attempt (the backoff is at most 30 s) and the handshake after it
    const retry = Number(away.headers['retry-after']);
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 35, `Retry-After: ${away.headers['retry-after']}`);
    sim = await startSim({ clock: { start: SESSION_OPEN }, port });
    await waitHealthy(url);
    assert.equal((await request(`${url}/quotes/AAPL`)).status, 200);
  });

  it('--help: the usage on stdout and exit 0', () => {
    const out = execFileSync(process.execPath, [SCRIPT, '--help'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.match(out, /^usage: bridge/);
    assert.match(out, /--simulated/);
  });

  it('refuses bad flags (exit 2, with the usage) and a non-loopback host without a token or with a short one (exit 2, saying why)', async () => {
    running = run(['--port', 'http']);
    assert.equal(await running.exited, 2);
    assert.ok(running.lines.some((l) => /--port must be a whole number/.test(l)));
    assert.ok(running.lines.some((l) => /^usage: bridge/.test(l)));
    running = run(['--frobnicate']);
    assert.equal(await running.exited, 2);
    running = run(['--host', '0.0.0.0', '--port', '0', '--ib-port', '1']);
    assert.equal(await running.exited, 2);
    assert.ok(
      running.lines.some((l) => /needs a token/.test(l)),
      running.lines.join('\n'),
    );
    running = run(['--port', '0', '--ib-port', '1', '--token', 'short']);
    assert.equal(await running.exited, 2);
    assert.ok(
      running.lines.some((l) => /16 to 256 printable characters/.test(l)),
      running.lines.join('\n'),
    );
  });
});
