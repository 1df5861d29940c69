import * as vscode from 'vscode';
import { requireEnabled } from '../gate';
import { showError, showInfo } from '../notify';
import type { Services } from '../services';
import type { SimClockAt } from '../simulator-host';

/**
 * Whether this workspace's window was using the simulated gateway: it runs in
 * the extension host, which a window reload ends, so start-up starts it again
 * (only Stop Simulated Gateway forgets it).
 */
export const SIMULATOR_IN_USE_KEY = 'ibGateway.simulatorInUse';
/** Where its clock was when it started (with the wall clock's time then): a reload or a start after a stop continues it rather than replaying the session. */
const SIMULATOR_CLOCK_KEY = 'ibGateway.simulatorClock';

function storedClock(v: unknown): SimClockAt | undefined {
  const o = v as Partial<SimClockAt> | undefined;
  return typeof o?.simMs === 'number' && typeof o.wallMs === 'number' && Number.isFinite(o.simMs + o.wallMs) ? { simMs: o.simMs, wallMs: o.wallMs } : undefined;
}

/** " Its market time: Fri, Dec 4, 13:28 in New York (a past session, replayed)." (the quotes' times are its own, not the wall clock's). */
function marketTime(simMs: number | undefined): string {
  if (simMs === undefined) return '';
  const at = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(simMs);
  return ` Its market time: ${at} in New York${simMs < Date.now() - 60_000 ? ' (a past session, replayed)' : ''}.`;
}

/**
 * Starts the simulated gateway on the loopback address and connects to it. Returns its address.
 * `quiet` (at start-up): said in the log only; the status bar and the views say SIMULATED.
 */
export async function startSimulator(s: Services, options: { quiet?: boolean } = {}): Promise<{ host: string; port: number } | undefined> {
  if (!requireEnabled(s, () => vscode.commands.executeCommand('ibGateway.startSimulator'))) return undefined;
  let address: { host: string; port: number };
  try {
    const state = s.context.workspaceState;
    // after a reload or a stop, its market time goes on from where it was (while that is in a session): never back
    address = await s.simulator.start(s.settings.current.simulator, storedClock(state.get(SIMULATOR_CLOCK_KEY)));
  } catch (e) {
    // not started: a reloaded window does not try it again on its own
    void s.context.workspaceState.update(SIMULATOR_IN_USE_KEY, false);
    void s.context.workspaceState.update(SIMULATOR_CLOCK_KEY, undefined);
    const port = s.settings.current.simulator.port;
    const inUse = (e as { code?: string }).code === 'EADDRINUSE' && port > 0;
    showError(
      s.log,
      new Error(
        inUse
          ? `The simulated gateway could not start: port ${port} is in use, by another window's simulated gateway or another program. To use that one, set jax.ib.port to ${port}; for one of this window's own, set jax.ib.simulator.port to 0 (any free port).`
          : `The simulated gateway could not start: ${e instanceof Error ? e.message : String(e)}. Set jax.ib.simulator.port to 0 for any free port.`,
      ),
    );
    return undefined;
  }
  void s.context.workspaceState.update(SIMULATOR_IN_USE_KEY, true);
  void s.context.workspaceState.update(SIMULATOR_CLOCK_KEY, s.simulator.clockAt);
  try {
    await s.connection.updateSettings(s.settings.effective());
    if (s.connection.status.phase !== 'ready') await s.connection.connect();
    const running = `SIMULATED gateway running on ${address.host}:${address.port}; prices are simulated, not real.${marketTime(s.simulator.clockAt?.simMs)}`;
    if (options.quiet) s.log.info(running);
    else showInfo(s.log, running);
  } catch (e) {
    showError(s.log, e);
  }
  return address;
}

/** Disconnects from the simulated gateway and stops it; the configured gateway is used again. */
export async function stopSimulator(s: Services): Promise<void> {
  // not started again by the next start-up; its clock is kept, so a start goes on from it rather than replaying
  void s.context.workspaceState.update(SIMULATOR_IN_USE_KEY, false);
  if (!s.simulator.running) {
    showInfo(s.log, 'The simulated gateway is not running.');
    return;
  }
  const wasSimulated = s.connection.status.simulated;
  if (wasSimulated) await s.connection.disconnect();
  await s.simulator.stop();
  // its prices leave with it: no row goes on showing them as last known values
  if (wasSimulated) s.watchlist.forgetValues();
  await s.connection.updateSettings(s.settings.effective());
  // the status bar says it (disconnected, SIMULATED gone): a notice would only repeat it
  s.log.info('The simulated gateway has stopped.');
}
