/**
 * The one request table: every request the domain sends has an entry here,
 * under an id from one counter that is never reused in the process (ids of a
 * dead connection can never be mistaken for a live one's). An entry has an
 * owner, which receives the request's events and errors, and may have a time
 * limit on an injected clock. When the connection ends, every entry fails
 * with the not-connected error. Answers for an id that has no entry (a late
 * answer after a time limit, an answer for a cancelled request, an id the
 * domain never sent) are ignored.
 */
import type { IbErrorInfo } from '../types';
import { TimerSet, type Clock } from '../clock';

let lastId = 0;

/** A request id not handed out before in this process. */
export function newRequestId(): number {
  lastId++;
  return lastId;
}

/** Whoever sent a request: told once when it ends without an answer. */
export interface Ending {
  /** The time limit passed, or the connection ended: the entry is already gone. */
  end(info: IbErrorInfo): void;
}

export interface TimeLimit {
  ms: number;
  /** What the owner is told when it passes (a sentence that names the request). */
  info: (reqId: number) => IbErrorInfo;
  /** Also undoes the request on the gateway (a cancel), if there is one. */
  onExpire?: (reqId: number) => void;
}

export class RequestTable<O extends Ending> {
  private readonly map = new Map<number, O>();
  /** Owners by request id, read-only: the per-event path reads it directly (a map read, no call). */
  readonly owners: ReadonlyMap<number, O> = this.map;
  private readonly limits = new Map<number, () => void>();
  private readonly timers: TimerSet;

  constructor(clock: Clock) {
    this.timers = new TimerSet(clock);
  }

  /** Requests with an entry. */
  get size(): number {
    return this.owners.size;
  }

  /** A new entry with a new id; the owner hears of it until it is removed. */
  add(owner: O, limit?: TimeLimit): number {
    const id = newRequestId();
    this.map.set(id, owner);
    if (limit) this.limit(id, limit);
    return id;
  }

  /** The owner of an id (the per-event path: one map read), or undefined for an id with no entry. */
  get(id: number): O | undefined {
    return this.owners.get(id);
  }

  /** Starts (or restarts) a time limit for an entry. */
  limit(id: number, limit: TimeLimit): void {
    this.answered(id);
    this.limits.set(
      id,
      this.timers.after(limit.ms, () => {
        this.limits.delete(id);
        const owner = this.owners.get(id);
        if (!owner) return;
        this.map.delete(id);
        limit.onExpire?.(id);
        owner.end(limit.info(id));
      }),
    );
  }

  /** The answer is complete: the time limit ends, the entry stays (a stream goes on). */
  answered(id: number): void {
    const cancel = this.limits.get(id);
    if (!cancel) return;
    this.limits.delete(id);
    cancel();
  }

  /** Removes an entry; its owner hears nothing more. True when there was one. */
  remove(id: number): boolean {
    this.answered(id);
    return this.map.delete(id);
  }

  /** Removes an entry and returns its owner (a one-shot answer's last event). */
  take(id: number): O | undefined {
    const owner = this.owners.get(id);
    if (owner !== undefined) this.remove(id);
    return owner;
  }

  /** Ends every entry (the connection is gone): each owner is told once, with `info`. */
  failAll(info: IbErrorInfo): void {
    const all = [...this.owners.values()];
    this.map.clear();
    this.limits.clear();
    this.timers.clear();
    for (const owner of all) owner.end(info);
  }
}
