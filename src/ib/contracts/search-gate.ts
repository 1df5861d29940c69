/**
 * IB's symbol search takes one request a second: "There must be an interval
 * of at least 1 second between successive calls to reqMatchingSymbols" (the
 * API guide, Stock Contract Search). Searches typed letter by letter come
 * faster, so they wait here for their turn:
 * - a text answered a moment ago is answered again from memory;
 * - a text already waiting or in flight shares that request;
 * - a search its asker no longer wants (a newer text typed) leaves the queue
 *   without being sent;
 * - past a few waiting, a search is refused rather than kept for long.
 */
import { systemClock, type Clock } from '../clock';

/** IB's interval between two searches, and a margin for the client's send throttle. */
export const SEARCH_INTERVAL_MS = 1_000 + 100;
/** Searches that may wait their turn (each a second more). */
export const MAX_WAITING_SEARCHES = 10;
/** How long an answer is kept for the same text (IB's symbol list changes with listings, not by the minute). */
const ANSWER_FOR_MS = 60_000;
const MAX_ANSWERS = 200;

interface Waiting<T> {
  text: string;
  send: () => Promise<T>;
  answer: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
  /** Askers still waiting for it. */
  askers: number;
}

export class SearchBusyError extends Error {}
export class SearchDroppedError extends Error {}

export class SearchGate<T> {
  private lastSentAt = -Infinity;
  private readonly waiting: Array<Waiting<T>> = [];
  private readonly inFlight = new Map<string, Promise<T>>();
  private readonly answers = new Map<string, { value: T; until: number }>();
  private timer: unknown;

  constructor(private readonly clock: Clock = systemClock) {}

  /** The answer for `text`, sent when IB's interval allows; `signal` takes it out of the queue while it waits. */
  run(text: string, send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const now = this.clock.now();
    const kept = this.answers.get(text);
    if (kept && kept.until > now) return Promise.resolve(kept.value);
    const flying = this.inFlight.get(text);
    if (flying) return flying;
    let w = this.waiting.find((x) => x.text === text);
    if (!w) {
      if (this.waiting.length >= MAX_WAITING_SEARCHES) {
        return Promise.reject(new SearchBusyError(`${this.waiting.length} symbol searches are waiting (IB takes one a second).`));
      }
      let resolve!: (v: T) => void;
      let reject!: (e: unknown) => void;
      const answer = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
      w = { text, send, answer, resolve, reject, askers: 0 };
      this.waiting.push(w);
    }
    const entry = w;
    entry.askers++;
    if (signal) {
      const leave = () => {
        if (!this.waiting.includes(entry)) return;
        if (--entry.askers > 0) return;
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        entry.reject(new SearchDroppedError(`The search for "${text}" was dropped: a newer one replaced it.`));
      };
      if (signal.aborted) leave();
      else signal.addEventListener('abort', leave, { once: true });
    }
    this.pump();
    return entry.answer;
  }

  /** Forgets the answers (another gateway may list other symbols). */
  clear(): void {
    this.answers.clear();
  }

  private pump(): void {
    if (this.timer !== undefined || !this.waiting.length) return;
    const wait = this.lastSentAt + SEARCH_INTERVAL_MS - this.clock.now();
    if (wait > 0) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      return;
    }
    const w = this.waiting.shift()!;
    this.lastSentAt = this.clock.now();
    const sent = Promise.resolve().then(w.send);
    this.inFlight.set(w.text, w.answer);
    sent.then(
      (v) => {
        this.inFlight.delete(w.text);
        this.keep(w.text, v);
        w.resolve(v);
      },
      (e: unknown) => {
        this.inFlight.delete(w.text);
        w.reject(e);
      },
    );
    this.pump();
  }

  private keep(text: string, value: T): void {
    this.answers.delete(text);
    this.answers.set(text, { value, until: this.clock.now() + ANSWER_FOR_MS });
    if (this.answers.size > MAX_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
  }
}
