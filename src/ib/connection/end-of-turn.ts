/**
 * Work that notices ask for, done once at the end of the turn they arrived in
 * (one socket read can carry thousands): one status, one report per farm (its
 * last word), one resubscribe. A flood of notices then costs a constant
 * amount each, and listeners (the status bar, the log, every live line) run
 * once per turn instead of once per notice.
 */
import type { IbErrorInfo, ResendScope } from '../types';

export interface TurnWork {
  publish(): void;
  report(info: IbErrorInfo): void;
  resubscribe(reason: string, scope: ResendScope): void;
}

export class EndOfTurn {
  private statusDue = false;
  private resubscribeReason: string | undefined;
  private resubscribeScope: ResendScope = 'history';
  private readonly farmReports = new Map<string, IbErrorInfo>();
  private scheduled = false;

  constructor(private readonly work: TurnWork) {}

  /** A status is due (the facts changed). */
  status(): void {
    this.statusDue = true;
    this.schedule();
  }

  get statusPending(): boolean {
    return this.statusDue;
  }

  /** A status was just published: none is due. */
  published(): void {
    this.statusDue = false;
  }

  /** The first reason of the turn is the one given; the scope is the widest asked. */
  resubscribe(reason: string, scope: ResendScope = 'all'): void {
    this.resubscribeReason ??= reason;
    if (scope === 'all') this.resubscribeScope = 'all';
    this.schedule();
  }

  /** A farm's report; a later one in the same turn replaces it. */
  farmReport(farm: string, info: IbErrorInfo): void {
    this.farmReports.delete(farm);
    this.farmReports.set(farm, info);
    this.schedule();
  }

  /** Tells the farm reports waiting now (before a report that must come after them, in the order IB sent them). */
  flushReports(): void {
    const reports = [...this.farmReports.values()];
    this.farmReports.clear();
    for (const r of reports) this.work.report(r);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    this.flushReports();
    if (this.statusDue) this.work.publish();
    const [why, scope] = [this.resubscribeReason, this.resubscribeScope];
    [this.resubscribeReason, this.resubscribeScope] = [undefined, 'history'];
    if (why !== undefined) this.work.resubscribe(why, scope);
  }
}
