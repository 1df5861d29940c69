/**
 * Faults on demand, for reliability tests and demos: what a real gateway and
 * IB's servers do to a client on a bad day.
 */
import { realScheduler, type SimScheduler, type TimerHandle } from './scheduler';

/** What the faults act on; SimServer implements it. */
export interface FaultTarget {
  /** Destroys every client connection. */
  dropConnections(): void;
  /** Stops listening for ms, then listens again on the same port. */
  refuseFor(ms: number): void;
  /** Sends an error/info (id -1) to every ready client. */
  broadcastInfo(code: number, message: string): void;
  /** 1101: IB lost the subscriptions; every line ends. */
  dropAllLines(): void;
  /** Ends every keepUpToDate history subscription with this error (its updates stop). */
  dropLiveUpdates(code: number, message: string): void;
  setDataHeld(reason: 'link' | 'farm', held: boolean): void;
  /** While set, a keepUpToDate history request is answered 10182 and no bars. */
  setLiveRefused(refused: boolean): void;
  /** The next n streaming market-data lines are accepted and never answered. */
  setSilentLines(n: number): void;
  setStalled(stalled: boolean): void;
  setReplyDelay(ms: number): void;
  sendGarbage(): void;
  log(line: string): void;
}

export const TEXT = {
  lost: 'Connectivity between IB and Trader Workstation has been lost.',
  restoredDataLost: 'Connectivity between IB and Trader Workstation has been restored - data lost.',
  restoredDataKept: 'Connectivity between IB and Trader Workstation has been restored - data maintained.',
  serverBroken: 'Connectivity between Trader Workstation and server is broken. It will be restored automatically.',
  farmBroken: 'Market data farm connection is broken:usfarm',
  farmOk: 'Market data farm connection is OK:usfarm',
  hmdsBroken: 'HMDS data farm connection is broken:ushmds',
  hmdsOk: 'HMDS data farm connection is OK:ushmds',
  liveUpdatesFailed: 'Failed to request live updates (disconnected).',
  portMoved: 'TWS socket port has been reset and this connection is being dropped. Please reconnect on the new port - ',
} as const;

export class SimFaults {
  private readonly timers = new Set<TimerHandle>();

  constructor(
    private readonly target: FaultTarget,
    private readonly scheduler: SimScheduler = realScheduler,
  ) {}

  private later(ms: number, fn: () => void): void {
    const t = this.scheduler.setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  /** Every client connection is cut (as when the gateway process dies). */
  dropAll(): void {
    this.target.log('fault: drop every connection');
    this.target.dropConnections();
  }

  /** New connections are refused for ms (the port is closed), then accepted again. */
  refuseConnections(ms: number): void {
    this.target.log(`fault: refuse connections for ${ms} ms`);
    this.target.refuseFor(ms);
  }

  /** A gateway restart: every connection dropped and the port closed for downMs. */
  restart(downMs: number): void {
    this.target.log(`fault: restart, down for ${downMs} ms`);
    this.target.refuseFor(downMs);
    this.target.dropConnections();
  }

  /** 1100: IB's servers are unreachable; data stops. */
  connectivityLost(): void {
    this.target.log('fault: 1100 connectivity lost');
    this.target.setDataHeld('link', true);
    this.target.broadcastInfo(1100, TEXT.lost);
  }

  /** 1101 (dataLost: every subscription is gone and must be re-sent) or 1102 (data maintained). */
  connectivityRestored(dataLost: boolean): void {
    this.target.log(`fault: ${dataLost ? '1101 restored, data lost' : '1102 restored, data maintained'}`);
    if (dataLost) this.target.dropAllLines();
    this.target.setDataHeld('link', false);
    this.target.broadcastInfo(dataLost ? 1101 : 1102, dataLost ? TEXT.restoredDataLost : TEXT.restoredDataKept);
  }

  /** 2110: the gateway's link to IB's servers broke; data stops, and after ms it resumes with a 2104 (no 1102). */
  serverLinkBroken(ms: number): void {
    this.target.log(`fault: 2110 link to the server broken for ${ms} ms`);
    this.target.setDataHeld('link', true);
    this.target.broadcastInfo(2110, TEXT.serverBroken);
    this.later(ms, () => {
      this.target.setDataHeld('link', false);
      this.target.broadcastInfo(2104, TEXT.farmOk);
    });
  }

  /** 2103 then, after ms, 2104: the market data farm blips; quotes pause meanwhile and resume after. */
  farmBlip(ms: number): void {
    this.target.log(`fault: market data farm blip for ${ms} ms`);
    this.target.setDataHeld('farm', true);
    this.target.broadcastInfo(2103, TEXT.farmBroken);
    this.later(ms, () => {
      this.target.setDataHeld('farm', false);
      this.target.broadcastInfo(2104, TEXT.farmOk);
    });
  }

  /** 2105 then, after ms, 2106: the historical data farm blips; quote lines go on (they come from the market data farm). */
  hmdsBlip(ms: number): void {
    this.target.log(`fault: historical data farm blip for ${ms} ms`);
    this.target.broadcastInfo(2105, TEXT.hmdsBroken);
    this.later(ms, () => this.target.broadcastInfo(2106, TEXT.hmdsOk));
  }

  /**
   * 10182 for every keepUpToDate subscription: IB dropped its live updates (seen in farm flaps and around the
   * nightly reset, with the farms and the link back by themselves); nothing re-arms it but the client.
   */
  liveUpdatesLost(): void {
    this.target.log('fault: 10182 live updates lost');
    this.target.dropLiveUpdates(10182, TEXT.liveUpdatesFailed);
  }

  /**
   * For ms, every live bar series is dropped (10182) and every new keepUpToDate request answered 10182 before any
   * bar, as while IB's historical farm cannot serve live updates; the bars come again after.
   */
  liveUpdatesRefused(ms: number): void {
    this.target.log(`fault: live updates refused for ${ms} ms`);
    this.target.setLiveRefused(true);
    this.target.dropLiveUpdates(10182, TEXT.liveUpdatesFailed);
    this.later(ms, () => this.target.setLiveRefused(false));
  }

  /**
   * The next n streaming market-data lines are accepted and never answered, no data and no error: IB's guide warns
   * of it for a request sent before its data farm is connected.
   */
  silentLines(n: number): void {
    this.target.log(`fault: the next ${n} market data line(s) silent`);
    this.target.setSilentLines(n);
  }

  /** Nothing at all is sent for ms (replies are held back and sent after; quotes pause). */
  stall(ms: number): void {
    this.target.log(`fault: stall for ${ms} ms`);
    this.target.setStalled(true);
    this.later(ms, () => this.target.setStalled(false));
  }

  /** Every request is answered ms later (0 ends the delay). */
  delayReplies(ms: number): void {
    this.target.log(`fault: delay every reply by ${ms} ms`);
    this.target.setReplyDelay(ms);
  }

  /** 1300: the API port was changed in the gateway's settings; every client is told the new one and dropped. */
  portMoved(newPort: number): void {
    this.target.log(`fault: API port moved to ${newPort}`);
    this.target.broadcastInfo(1300, `${TEXT.portMoved}${newPort}`);
    this.target.dropConnections();
  }

  /** One garbled frame to every client (a message its decoder cannot read). */
  garble(): void {
    this.target.log('fault: garbled frame');
    this.target.sendGarbage();
  }

  /** Cancels pending fault timers (server stop). */
  clear(): void {
    for (const t of this.timers) this.scheduler.clear(t);
    this.timers.clear();
  }
}
