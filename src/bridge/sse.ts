/**
 * One Server-Sent Events client. Writes go straight to the socket while it
 * keeps up; when it does not (the socket's buffer is full), only the latest
 * value per key (symbol) is kept and sent on 'drain', and the client is told
 * how many it missed (`event: dropped`). Memory per client is bounded by the
 * number of keys it watches, however slow it reads. A client that has read
 * nothing for a minute while its socket is full (a program that stopped
 * reading and never closed: Go's unclosed response body) is disconnected, so
 * such streams cannot pile up to the bridge's connection limit.
 */
import type { ServerResponse } from 'node:http';

/** Data already serialised once (a quote sent to many clients is stringified once). */
export class Json {
  constructor(readonly text: string) {}
}

/** The reconnect delay a stream asks of its client (about a reconnect attempt's handshake). */
const SSE_RETRY_MS = 2000;

export class SseClient {
  private readonly pending = new Map<string, { event: string; data: unknown }>();
  private dropped = 0;
  private droppedTotal = 0;
  private waiting = false;
  /** When the socket's buffer filled (this.waiting since). */
  private waitingSince = 0;
  private closed = false;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    heartbeatMs = 15_000,
    /** How long a full socket may stay full before the client is disconnected. */
    private readonly stuckMs = 60_000,
  ) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // how long a client waits before it opens the stream again when it ends (the spec's `retry:`; EventSource's default is its own)
    res.write(`: connected\nretry: ${SSE_RETRY_MS}\n\n`);
    res.on('drain', () => this.flush());
    res.on('close', () => this.close());
    this.heartbeat = setInterval(() => {
      if (this.waiting && Date.now() - this.waitingSince >= this.stuckMs) this.res.destroy();
      else this.comment('keep-alive');
    }, heartbeatMs);
    this.heartbeat.unref?.();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Quotes dropped so far because this client read too slowly (a newer one replaced them). */
  get droppedCount(): number {
    return this.droppedTotal;
  }

  /** Sends an event now, or keeps it as the latest for `key` when the client is behind. */
  send(event: string, data: unknown, key?: string): void {
    if (this.closed) return;
    if (this.waiting) {
      if (key === undefined) {
        // events without a key (errors, notices) are few: kept in order under a unique key
        this.pending.set(`#${this.pending.size}:${event}`, { event, data });
        return;
      }
      if (this.pending.has(key)) {
        this.dropped++;
        this.droppedTotal++;
      }
      this.pending.set(key, { event, data });
      return;
    }
    this.write(event, data);
  }

  private write(event: string, data: unknown): void {
    const text = data instanceof Json ? data.text : JSON.stringify(data);
    const ok = this.res.write(`event: ${event}\ndata: ${text}\n\n`);
    if (!ok && !this.waiting) {
      this.waiting = true;
      this.waitingSince = Date.now();
    }
  }

  private flush(): void {
    if (this.closed) return;
    this.waiting = false;
    // what follows may fill it again: a new wait
    const items = [...this.pending.entries()];
    this.pending.clear();
    if (this.dropped > 0) {
      const n = this.dropped;
      this.dropped = 0;
      this.write('dropped', { dropped: n, detail: `This client read too slowly: ${n} older quote${n === 1 ? ' was' : 's were'} replaced by newer ones.` });
    }
    for (const [key, item] of items) {
      if (this.waiting) this.pending.set(key, item);
      else this.write(item.event, item.data);
    }
  }

  comment(text: string): void {
    if (this.closed || this.waiting) return;
    // a keep-alive that does not fit starts the wait too (a stream with no quotes: a closed market)
    if (!this.res.write(`: ${text}\n\n`)) {
      this.waiting = true;
      this.waitingSince = Date.now();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.pending.clear();
    if (!this.res.writableEnded) this.res.end();
  }
}
