import * as vscode from 'vscode';
import type { Bridge } from '../bridge/server';
import type { Services } from './services';
import { readSettings } from './settings';

/** The bridge's code (fastify among it), required when the bridge first starts, not at activation. */
function bridgeModules(): typeof import('../bridge/index') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../bridge/index') as typeof import('../bridge/index');
}

const SECTION = 'jax.ib.bridge';

/** How often a window whose bridge port another bridge serves tries it again. */
const TAKE_OVER_EVERY_MS = 5000;

/** Whether a jax bridge answers on the port (its /health, which answers without a token too). */
async function servesBridge(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as Record<string, unknown>;
    return typeof body.status === 'string' && typeof body.connected === 'boolean';
  } catch {
    return false;
  }
}

/** jax.ib.bridge.*, checked with the other settings (a bad port is reported with them). */
function readBridgeSettings(): { enabled: boolean; port: number } {
  return readSettings().bridge;
}

/**
 * The jax bridge inside the editor: it serves the editor's own connection and
 * services (no second client id) on 127.0.0.1, started by jax.ib.bridge.enabled
 * or IB: Start Bridge; a status bar item says where it serves and how many
 * clients are connected.
 */
export class BridgeHost implements vscode.Disposable {
  private bridge: Bridge | undefined;
  private busy: Promise<unknown> = Promise.resolve();
  private readonly item: vscode.StatusBarItem;
  private lastClients = 0;
  /** The bridge settings last followed (what a change is compared with). */
  private applied: { enabled: boolean; port: number } | undefined;
  /** Another bridge serves the port: tried again on this timer. */
  private waiting: { port: number; timer: ReturnType<typeof setInterval> } | undefined;

  constructor(private readonly s: Services) {
    this.item = vscode.window.createStatusBarItem('ibGateway.bridge', vscode.StatusBarAlignment.Left, 999);
    this.item.name = 'jax Bridge';
    this.item.command = 'ibGateway.stopBridge';
  }

  get running(): boolean {
    return this.bridge !== undefined;
  }

  get url(): string | undefined {
    return this.bridge?.url;
  }

  /** One start or stop at a time. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.busy.then(work, work);
    this.busy = next.catch(() => undefined);
    return next;
  }

  start(port = readBridgeSettings().port): Promise<string | undefined> {
    return this.serial(async () => {
      if (this.bridge?.address?.port === port) return this.bridge.url;
      await this.stopNow();
      const { Bridge } = bridgeModules();
      const { connection, contracts, quotes, candles, log, logger } = this.s;
      const version = String((this.s.context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
      const bridge = new Bridge({ connection, contracts, quotes, candles }, { host: '127.0.0.1', port, version, connectionControl: 'shared', logger });
      try {
        await bridge.start();
      } catch (e) {
        // (while waiting for another bridge's port, whatever holds it now is not said again every few seconds)
        const inUse = (e as { code?: string }).code === 'EADDRINUSE';
        if (inUse && (this.waiting?.port === port || (await servesBridge(port)))) {
          this.takeOverLater(port);
          return undefined;
        }
        const text = inUse
          ? `the jax bridge did not start: another program uses port ${port}; choose another port in jax.ib.bridge.port`
          : String(e instanceof Error ? e.message : e);
        log.error(text);
        void vscode.window.showErrorMessage(`IB: ${text}`);
        return undefined;
      }
      this.stopWaiting();
      this.bridge = bridge;
      void vscode.commands.executeCommand('setContext', 'ibGateway.bridgeRunning', true);
      bridge.onClients((n) => this.render(n));
      this.render(0);
      this.item.show();
      return bridge.url;
    });
  }

  stop(): Promise<void> {
    this.stopWaiting();
    return this.serial(() => this.stopNow());
  }

  /**
   * Another VS Code window (or a headless bridge) serves the port: said once, and this window
   * tries the port again every few seconds, so the bridge stays up when that one stops.
   */
  private takeOverLater(port: number): void {
    if (this.waiting?.port === port) return;
    this.stopWaiting();
    this.s.log.info(`bridge: port ${port} is served by another jax bridge; this window serves it once that one stops`);
    void vscode.window.showInformationMessage(
      `IB: the jax bridge on port ${port} is served by another VS Code window or a headless bridge; this window takes over when that one stops.`,
    );
    // (Stop Bridge, the setting turned off and dispose end the wait: stop() clears it)
    const timer = setInterval(() => void this.start(port), TAKE_OVER_EVERY_MS);
    this.waiting = { port, timer };
  }

  private stopWaiting(): void {
    if (this.waiting) clearInterval(this.waiting.timer);
    this.waiting = undefined;
  }

  private async stopNow(): Promise<void> {
    const bridge = this.bridge;
    if (!bridge) return;
    this.bridge = undefined;
    void vscode.commands.executeCommand('setContext', 'ibGateway.bridgeRunning', false);
    this.item.hide();
    await bridge.stop();
  }

  private render(clients: number): void {
    const bridge = this.bridge;
    if (!bridge) return;
    if ((clients === 0) !== (this.lastClients === 0)) this.s.log.info(`bridge: ${clients} client connection${clients === 1 ? '' : 's'} open`);
    this.lastClients = clients;
    this.item.text = `$(broadcast) jax :${bridge.address?.port ?? ''}${clients > 0 ? ` · ${clients}` : ''}`;
    this.item.tooltip = `jax bridge serving ${bridge.url} from this editor's IB connection\n${clients} client connection${clients === 1 ? '' : 's'} open (${bridge.streamClients} streaming)\nClick to stop it.`;
    this.item.accessibilityInformation = { label: `jax bridge serving on port ${bridge.address?.port ?? ''}, ${clients} clients`, role: 'button' };
  }

  /**
   * Follows jax.ib.bridge.enabled and jax.ib.bridge.port as they change: on,
   * it serves on the port; turned off, it stops; a new port moves a running
   * bridge there, also one started by IB: Start Bridge with the setting off,
   * which nothing else in the settings stops.
   */
  async applySettings(): Promise<void> {
    const { enabled, port } = readBridgeSettings();
    const was = this.applied;
    this.applied = { enabled, port };
    if (enabled) await this.start(port);
    else if (was?.enabled) await this.stop();
    else if (this.running && this.bridge?.address?.port !== port) await this.start(port);
  }

  dispose(): void {
    this.item.dispose();
    void this.stop();
  }
}

/** The bridge's commands and settings; started now when jax.ib.bridge.enabled is on. */
export function registerBridge(s: Services): { host: BridgeHost; disposables: vscode.Disposable[] } {
  const host = new BridgeHost(s);
  const disposables: vscode.Disposable[] = [
    host,
    vscode.commands.registerCommand('ibGateway.startBridge', async () => {
      const url = await host.start();
      if (url)
        void vscode.window.showInformationMessage(
          `IB: the jax bridge serves ${url} (set IBBridgeURL to it; ${
            // Linux's host.docker.internal is the docker bridge's address, where a listener on 127.0.0.1 is not
            process.platform === 'linux'
              ? 'containers reach it with network_mode: host'
              : `from a container use http://host.docker.internal:${new URL(url).port}`
          }).`,
        );
      return url;
    }),
    vscode.commands.registerCommand('ibGateway.stopBridge', async () => {
      const was = host.running;
      await host.stop();
      if (was) void vscode.window.showInformationMessage('IB: the jax bridge has stopped.');
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION) && (vscode.workspace.isTrusted || !readBridgeSettings().enabled)) void host.applySettings();
    }),
  ];
  // like the connection, the bridge starts by itself only in a trusted workspace (a command starts it anyway)
  if (vscode.workspace.isTrusted) {
    if (readBridgeSettings().enabled) void host.applySettings();
  } else {
    disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void host.applySettings()));
  }
  return { host, disposables };
}
