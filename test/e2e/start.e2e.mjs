// The README's first command and the F5 launch configuration, started as a
// person starts them. `npm start` builds, writes a demo folder whose settings
// start the simulated gateway inside the extension, and opens a real VS Code
// on it; with --check it opens that VS Code in headless Chromium, waits until
// the status bar says the simulated gateway streams and the watchlist shows
// its rows, saves a screenshot (test-results/npm-start*.png) and stops. F5
// cannot start a desktop VS Code here (only npm and Debian are reachable), so
// its launch configuration's folder and arguments are read from
// .vscode/launch.json and opened the same way, with the extension loaded from
// this repository as the configuration loads it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { repoRoot } from '../../scripts/vscode/install.mjs';

/** `npm start -- --check` with more flags: its output, after asserting it ended well. */
function startAndCheck(...flags) {
  const r = spawnSync('npm', ['start', '--', '--check', ...flags], { cwd: repoRoot, encoding: 'utf8', timeout: 280_000 });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, `npm start ended with ${r.status ?? r.signal}:\n${out.slice(-3000)}`);
  const status = /\[start\] status bar: (.*)/.exec(r.stdout)?.[1] ?? '';
  const rows = Number(/\[start\] watchlist rows: (\d+)/.exec(r.stdout)?.[1]);
  return { out, status, rows };
}

/** .vscode/*.json as VS Code reads them (comments allowed). */
function jsonc(file) {
  const text = readFileSync(join(repoRoot, '.vscode', file), 'utf8');
  return JSON.parse(text.replace(/^\s*\/\/.*$/gm, ''));
}

describe('npm start and F5, started as a person starts them', function () {
  this.timeout(300_000);

  it('npm start: VS Code opens on the demo folder and the simulated gateway streams its five symbols', () => {
    const { out, status, rows } = startAndCheck();
    assert.match(out, /demo folder: .*watchlist AAPL, MSFT, SPY, EUR\.USD, ES \d{6} FUT@CME/);
    assert.match(status, /IB SIMULATED .*\b5 streaming/, `status bar: ${status}`);
    assert.ok(rows >= 5, `${rows} rows in the side bar`);
    assert.ok(existsSync(join(repoRoot, 'test-results', 'npm-start.png')), 'its screenshot');
  });

  it('F5 ("Extension with the simulated gateway"): the launch configuration\'s folder starts the simulated gateway and streams', () => {
    const launch = jsonc('launch.json').configurations.find((c) => c.name === 'Extension with the simulated gateway');
    assert.ok(launch, 'the launch configuration');
    assert.equal(launch.type, 'extensionHost');
    assert.ok(launch.args.includes('--extensionDevelopmentPath=${workspaceFolder}'), 'it loads the extension from this folder');
    const task = jsonc('tasks.json').tasks.find((t) => t.label === launch.preLaunchTask);
    assert.ok(task, `its preLaunchTask "${launch.preLaunchTask}" is a task`);
    const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts;
    assert.equal(scripts[task.script], 'node esbuild.mjs', `the task runs the build npm start runs (npm run ${task.script})`);
    const folders = launch.args.filter((a) => !a.startsWith('--')).map((a) => a.replace('${workspaceFolder}', repoRoot));
    assert.equal(folders.length, 1, `one folder to open (${launch.args.join(' ')})`);
    const { out, status, rows } = startAndCheck('--folder', folders[0]);
    assert.match(out, /folder: .*demo-workspace \(its own settings\)/);
    const watchlist = JSON.parse(readFileSync(join(folders[0], '.vscode', 'settings.json'), 'utf8'))['jax.ib.watchlist'];
    assert.match(status, new RegExp(`IB SIMULATED .*\\b${watchlist.length} streaming`), `status bar: ${status}`);
    assert.ok(rows >= watchlist.length, `${rows} rows in the side bar for ${watchlist.join(', ')}`);
  });
});
