/**
 * A data farm came back (2103 -> 2104): the live requests are sent again once
 * no farm has come back for FARM_CALM_MS. Each resend cancels and sends every
 * line, and the client library sends at most 40 messages a second: a farm
 * that flaps would otherwise queue resends behind resends, and the heartbeat
 * and every new request behind them (90 lines, three blips a second apart:
 * 14 s of queue).
 */
import type { Clock } from '../clock';
import type { ResendScope } from '../types';

/** How long the data farms stay calm before the lines are sent again after one came back. */
export const FARM_CALM_MS = 1_500;

export class FarmCalm {
  private timer: unknown;
  /** The widest resend asked since the calm began. */
  private scope: ResendScope = 'history';

  constructor(
    private readonly clock: Clock,
    private readonly target: { resubscribe(reason: string, scope: ResendScope): void },
    /** IB's own link is down (1100): nothing is sent then; the 1102 that ends it says the data was kept, a 1101 asks again. */
    private readonly linkDown: () => boolean = () => false,
  ) {}

  /** A farm is back: the resend waits for FARM_CALM_MS without another. */
  ask(reason: string, scope: ResendScope = 'all'): void {
    const widest = this.timer !== undefined && this.scope === 'all' ? 'all' : scope;
    this.stop();
    this.scope = widest;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.linkDown()) this.target.resubscribe(reason, widest);
    }, FARM_CALM_MS);
  }

  /** No resend is due (a new connection sends its lines anyway; the manager is gone). */
  stop(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
