/**
 * The one request table: every request the domain sends has an entry here,
 * under an id from one counter that is never reused in the process (ids of a
 * dead connection can never be mistaken for a live one's). An entry has an
 * owner, which receives the request's events and errors, and may have a time
 * limit on an injected clock. When the connection ends, every entry fails
 * with the not-connected error. Answers for an id that has no entry (a late
 * answer after a time limit, an answer for a cancelled request, an id the
 * domain never sent) are ignored.
 *
 * A time limit counts from when the request leaves for the gateway: the
 * library holds outgoing messages in a queue of its own (at most 40 a second,
 * in order), where a request made behind a burst (a watchlist's lines sent at
 * once) can wait for seconds; that wait is the client's, not the gateway's.
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

/** Where requests wait before they reach the gateway: the library's send queue (lib-socket.ts). */
export interface SendLine {
  /** Messages handed to the library so far. */
  readonly queued: number;
  /** Of those, how many have left for the gateway (the queue is in order: always the first ones). */
  readonly sent: number;
  /** Calls `fn` once the first `n` messages have left (at once if they have); the result stops the wait. */
  whenSent(n: number, fn: () => void): () => void;
}

export class RequestTable<O extends Ending> {
  private readonly map = new Map<number, O>();
  /** Owners by request id, read-only: the per-event path reads it directly (a map read, no call). */
  readonly owners: ReadonlyMap<number, O> = this.map;
  private readonly limits = new Map<number, () => void>();
  private readonly timers: TimerSet;

  /** `sending`: the connection's send queue; without one, a time limit starts when it is given. */
  constructor(
    clock: Clock,
    private readonly sending?: SendLine,
  ) {
    this.timers = new TimerSet(clock);
  }

  /** Requests with an entry. */
  get size(): number {
    return this.owners.size;
  }

  /**
   * A new entry with a new id; the owner hears of it until it is removed. A
   * request sent under this id gives its time limit to limit() once sent,
   * not here: a limit given here waits only for the messages sent before.
   */
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

  /**
   * Starts (or restarts) a time limit for an entry, once every message handed
   * to the library so far has left for the gateway: given right after the
   * request's message was handed on, it counts from when that message left.
   */
  limit(id: number, limit: TimeLimit): void {
    this.answered(id);
    if (!this.map.has(id)) return;
    const start = (): void => {
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
    };
    const line = this.sending;
    if (!line || line.sent >= line.queued) start();
    else this.limits.set(id, line.whenSent(line.queued, start));
  }

  /** The answer is complete: the time limit ends (or its wait for the send queue), the entry stays (a stream goes on). */
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
    // a time limit still waiting for the send queue stops waiting
    for (const stop of this.limits.values()) stop();
    this.limits.clear();
    this.timers.clear();
    for (const owner of all) owner.end(info);
  }
}
