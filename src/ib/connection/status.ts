/**
 * The public status built from the machine's state and the facts of the
 * session: always complete for the current phase.
 */
import { inferTradingMode, isSimulatedGateway } from '../connection-mode';
import type { ConnectionSettings, ConnectionStatus, FarmHealth } from '../types';
import type { Attempt } from './attempt';
import { phaseOf, type MachineState } from './machine';

export interface SessionFacts {
  farms: Record<string, FarmHealth>;
  quoteFarms: string[];
  ibLink: 'ok' | 'lost';
  nextAttemptAt?: number;
}

/** `ready` is the current attempt when it is ready, else undefined. */
export function buildStatus(s: ConnectionSettings, m: MachineState, ready: Attempt | undefined, facts: SessionFacts): ConnectionStatus {
  const phase = phaseOf(m.name);
  const attemptInFlight = m.name === 'connecting' || m.name === 'retrying';
  const status: ConnectionStatus = {
    phase,
    host: s.host,
    port: s.port,
    clientId: ready?.clientId ?? (attemptInFlight ? m.clientId : (m.chosenClientId ?? s.clientId)),
    simulated: (s.simulated ?? false) || isSimulatedGateway(ready?.accounts),
    mode: inferTradingMode(ready?.accounts, s.port),
    farms: facts.farms,
    quoteFarms: facts.quoteFarms,
    ibLink: facts.ibLink,
  };
  if (phase === 'reconnecting') {
    status.attempt = m.attempt;
    if (facts.nextAttemptAt !== undefined) status.nextAttemptAt = facts.nextAttemptAt;
  }
  if (m.error && (phase === 'failed' || phase === 'reconnecting' || phase === 'disconnected')) status.error = m.error;
  if (ready) {
    status.serverVersion = ready.serverVersion;
    status.serverTime = ready.serverTime;
    status.accounts = [...(ready.accounts ?? [])];
    status.connectedSince = ready.readyAt;
  }
  return status;
}
