/**
 * Paper or live: the account prefix (DU/DF paper) decides when accounts are
 * known; otherwise the conventional ports (7497/4002 paper, 7496/4001 live).
 */
import type { TradingMode } from './types';

const PAPER_PORTS = new Set([7497, 4002]);
const LIVE_PORTS = new Set([7496, 4001]);

export function inferTradingMode(accounts: readonly string[] | undefined, port: number): TradingMode {
  const list = (accounts ?? []).map((a) => a.trim().toUpperCase()).filter((a) => a !== '');
  if (list.length > 0) {
    if (list.every((a) => a.startsWith('DU') || a.startsWith('DF'))) return 'paper';
    return 'live';
  }
  if (PAPER_PORTS.has(port)) return 'paper';
  if (LIVE_PORTS.has(port)) return 'live';
  return 'unknown';
}

/**
 * The project's simulated gateway names its account DUSIM…, which no IB
 * account is (src/sim says so on its side: it never imports this): a gateway
 * that is the simulator is shown as simulated, also one this window did not
 * start (npm run sim, another window's on a fixed port).
 */
export function isSimulatedGateway(accounts: readonly string[] | undefined): boolean {
  return (accounts ?? []).some((a) => a.trim().toUpperCase().startsWith('DUSIM'));
}
