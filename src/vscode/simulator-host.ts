import * as vscode from 'vscode';
import type { SimServer } from '../sim/server';

/** The simulator's code, required when a simulated gateway first starts (not at activation). */
function simModules(): typeof import('../sim/embedded') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../sim/embedded') as typeof import('../sim/embedded');
}

/** A moment of the simulated clock and the wall clock's at the same time. */
export interface SimClockAt {
  simMs: number;
  wallMs: number;
}

/**
 * The built-in simulated gateway, run inside the extension host on the
 * loopback address. Started and stopped by commands; stopped on deactivate.
 */
export class SimulatorHost implements vscode.Disposable {
  private server: SimServer | undefined;
  private starting: Promise<{ host: string; port: number }> | undefined;
  private readonly emitter = new vscode.EventEmitter<boolean>();
  /** Fires true when it starts, false when it stops. */
  readonly onDidChange = this.emitter.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  get running(): boolean {
    return this.server !== undefined;
  }

  get address(): { host: string; port: number } | undefined {
    return this.server?.address;
  }

  /** The running server (for tests that drive faults). */
  get sim(): SimServer | undefined {
    return this.server;
  }

  /** The simulated clock against the wall clock now (kept so that a reloaded window can continue it). */
  get clockAt(): SimClockAt | undefined {
    return this.server ? { simMs: this.server.clock.now(), wallMs: Date.now() } : undefined;
  }

  /** `resume`: where the clock was before a window reload or a stop; it goes on from there while that moment is in a session. */
  async start(options: { port: number; seed: number }, resume?: SimClockAt): Promise<{ host: string; port: number }> {
    if (this.server?.address) return this.server.address;
    if (this.starting) return this.starting;
    const { server: sim, demo, market } = simModules();
    // a market time named by the environment (tests and demo checks pin it: IB_SIM_START, ISO 8601);
    // otherwise inside the last regular session when the market is closed now, so a night or weekend demo streams
    const pinned = Date.parse(process.env.IB_SIM_START ?? '');
    const now = Date.now();
    const demoMarket = () => market.createMarket({ seed: options.seed, universe: market.createUniverse({ now }) });
    const resumed = resume && resume.wallMs <= now ? resume.simMs + (now - resume.wallMs) : undefined;
    const goesOn = resumed !== undefined && demo.lastSessionStart(demoMarket(), resumed) === resumed;
    const last = goesOn ? resumed : Number.isFinite(pinned) ? pinned : demo.lastSessionStart(demoMarket(), now);
    const start = goesOn || Number.isFinite(pinned) || last < now ? last : undefined;
    const server = new sim.SimServer({
      host: '127.0.0.1',
      port: options.port,
      seed: options.seed,
      clock: start !== undefined ? { start } : undefined,
      log: (line) => this.log.debug(`sim: ${line}`),
    });
    this.starting = server.start().then(
      (address) => {
        this.server = server;
        this.starting = undefined;
        this.log.info(
          `Simulated gateway listening on ${address.host}:${address.port} (seed ${options.seed}${start !== undefined ? `, clock from ${new Date(start).toISOString()}${goesOn ? ' (going on from where it was)' : Number.isFinite(pinned) ? ' (IB_SIM_START)' : ', the last regular session'}` : ''})`,
        );
        this.emitter.fire(true);
        return address;
      },
      (e: unknown) => {
        this.starting = undefined;
        throw e;
      },
    );
    return this.starting;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await server.stop();
    this.log.info('Simulated gateway stopped');
    this.emitter.fire(false);
  }

  dispose(): void {
    void this.stop();
    this.emitter.dispose();
  }
}
