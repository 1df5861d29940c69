/**
 * The simulator's command line: prints its address, logs each request in one
 * line, and takes fault commands on stdin.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { SecType } from '@stoqey/ib';
import { connectApi } from './support/sim';

const ROOT = path.resolve(__dirname, '../..');

function waitForLine(lines: string[], pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = setInterval(() => {
      for (const l of lines) {
        const m = pattern.exec(l);
        if (m) {
          clearInterval(poll);
          resolve(m);
          return;
        }
      }
      if (Date.now() - t0 > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`no line like ${pattern} in:\n${lines.join('\n')}`));
      }
    }, 20);
  });
}

describe('sim: command line', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child && child.exitCode === null) child.kill();
  });

  it('prints its address, logs requests readably and obeys fault commands', async function () {
    this.timeout(60_000);
    const lines: string[] = [];
    child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(ROOT, 'src/sim/cli.ts'), '--port', '0', '--seed', '42', '--start', '2026-11-24T16:00:00Z', '--tick-ms', '100'],
      { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let buffered = '';
    const onOut = (d: Buffer): void => {
      buffered += d.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines.push(...parts);
    };
    child.stdout!.on('data', onOut);
    child.stderr!.on('data', onOut);
    const m = await waitForLine(lines, /on 127\.0\.0\.1:(\d+), seed 42, clock 2026-11-24T16:00:00/);
    const port = Number(m[1]);
    const c = await connectApi(port, 1);
    try {
      c.api.reqMktData(3, { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', false, false);
      await waitForLine(lines, /client 1 reqMktData #3 AAPL STK SMART USD$/);
      child.stdin!.write('farm-blip 1\n');
      await c.waitFor(2103);
      child.stdin!.write('status\n');
      await waitForLine(lines, /^clients 1, market-data lines 1, keepUpToDate 0$/);
      c.assertClean();
    } finally {
      await c.disconnect();
    }
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.stdin!.write('quit\n');
    assert.equal(await exited, 0);
  });

  it('--help: the usage and the fault commands on stdout, exit 0', async () => {
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src/sim/cli.ts'), '--help'], { cwd: ROOT });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^usage: sim/);
    assert.match(out.stdout, /restart N/);
    assert.equal(out.stderr, '');
  });

  it('refuses unknown options with its usage', async () => {
    const out = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const p = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src/sim/cli.ts'), '--bogus'], { cwd: ROOT });
      let text = '';
      p.stderr.on('data', (d: Buffer) => (text += d.toString()));
      p.on('exit', (code) => resolve({ code, text }));
    });
    assert.equal(out.code, 2);
    assert.match(out.text, /unknown option --bogus/);
    assert.match(out.text, /usage: sim/);
  });
});
