/**
 * A simulated gateway and one connection to it on the same fake clock, for a
 * test of one service: the gateway's streams, the connection's timers and the
 * service's own pauses all wait for the test to advance time.
 */
import { ConnectionManager } from '../../../src/ib/connection';
import { ContractService } from '../../../src/ib/contracts';
import type { IbErrorInfo } from '../../../src/ib/types';
import { fakeTime, type FakeTime } from '../../support/fake-time';
import { MARKET_OPEN } from './session';
import { startSim, type StartedSim } from './sim';

export interface FakeTimeRig {
  sim: StartedSim;
  time: FakeTime;
  manager: ConnectionManager;
  contracts: ContractService;
  /** Every IB error the connection heard. */
  errors: IbErrorInfo[];
  /** How many of this client message the gateway received. */
  received(msgId: number): number;
  /** Disposes what the test made on it (services first), then the connection and the gateway. */
  stop(...made: Array<{ dispose(): void } | undefined>): Promise<void>;
}

/** Starts the gateway at MARKET_OPEN, its market running `speed` times real time, and connects as clientId. */
export async function startFakeTimeRig(
  clientId: number,
  { speed = 20, tickIntervalMs = 60 }: { speed?: number; tickIntervalMs?: number } = {},
): Promise<FakeTimeRig> {
  const time = fakeTime(MARKET_OPEN);
  const started = await startSim({ clock: { start: MARKET_OPEN, speed }, tickIntervalMs, scheduler: time.scheduler });
  const manager = new ConnectionManager(
    { enabled: true, host: started.host, port: started.port, clientId, heartbeatIntervalMs: 600_000, connectTimeoutMs: 30_000 },
    undefined,
    { clock: time.clock },
  );
  const errors: IbErrorInfo[] = [];
  manager.onIbError((e) => errors.push(e));
  await manager.connect();
  return {
    sim: started,
    time,
    manager,
    contracts: new ContractService(manager),
    errors,
    received: (msgId) => started.server.receivedMessageIds().get(msgId) ?? 0,
    async stop(...made) {
      for (const m of made) m?.dispose();
      manager.dispose();
      await started.stop();
    },
  };
}
