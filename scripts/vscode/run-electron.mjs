#!/usr/bin/env node
// Runs the same in-editor mocha suite with @vscode/test-electron, for machines
// that can download VS Code from Microsoft (a contributor's laptop). CI and
// `npm test` use run-in-host.mjs (code-server) instead, because the test
// machines reach only npm and Debian.
//   npm run test:electron            VS Code 1.100.3 (the engine the manifest targets)
//   IB_VSCODE_VERSION=stable npm run test:electron
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './install.mjs';
import { compileExtensionTests } from './compile-tests.mjs';
import { simulatedTime, startSimulator } from './workbench.mjs';

async function main() {
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--only', 'extension,webview'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the extension failed');
  const { runnerPath } = await compileExtensionTests();

  const root = mkdtempSync(join(tmpdir(), 'ib-electron-'));
  const userData = join(root, 'user-data');
  const workspace = join(root, 'workspace');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      { 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none' },
      null,
      2,
    ),
  );

  const sim = process.env.IB_SIM_PORT ? undefined : await startSimulator({ at: 'regularSession', tickIntervalMs: 100 });
  const env = { IB_TEST_RUN: 'electron', IB_SIM_START: new Date(await simulatedTime('regularSession')).toISOString() };
  if (sim) Object.assign(env, { IB_SIM_HOST: sim.host, IB_SIM_PORT: String(sim.port) });
  try {
    return await runTests({
      version: process.env.IB_VSCODE_VERSION || '1.100.3',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: runnerPath,
      extensionTestsEnv: env,
      launchArgs: [
        workspace,
        '--user-data-dir',
        userData,
        '--extensions-dir',
        join(root, 'extensions'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } finally {
    if (sim) await sim.sim.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[vscode] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
