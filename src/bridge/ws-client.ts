/**
 * One WebSocket client with the same rule as an SSE client: while its socket
 * is behind (more than 256 KB waiting), only the latest message per symbol is
 * kept and sent once it has caught up. With `pingMs`, the client is pinged
 * that often and ended when it has not answered the previous ping: a peer
 * that is gone (a dead network, a suspended machine) gives back its lines.
 * Replies to a client's own messages have no key: one that goes on sending
 * while it does not read is ended once 256 of them wait (each would be held).
 */
import type { WebSocket } from 'ws';
import { Json } from './sse';

const BEHIND_BYTES = 256 * 1024;
const RETRY_MS = 50;
/** Replies without a key (to the client's own messages) held while it is behind, before it is ended. */
const MAX_HELD_REPLIES = 256;

export class WsClient {
  private readonly pending = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private dropped = 0;
  private pinger: NodeJS.Timeout | undefined;
  private answered = true;
  private heldReplies = 0;

  constructor(
    private readonly socket: WebSocket,
    pingMs = 0,
  ) {
    if (pingMs <= 0) return;
    socket.on('pong', () => (this.answered = true));
    socket.once('close', () => clearInterval(this.pinger));
    this.pinger = setInterval(() => this.ping(), pingMs);
    this.pinger.unref?.();
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  /** Sends a value as JSON (a Json already serialised as it is). */
  send(data: unknown, key?: string): void {
    if (!this.open) return;
    const text = data instanceof Json ? data.text : JSON.stringify(data);
    if (this.pending.size > 0 || this.socket.bufferedAmount > BEHIND_BYTES) {
      if (key === undefined && ++this.heldReplies > MAX_HELD_REPLIES) return this.cutOff();
      const k = key ?? `#${this.pending.size}`;
      if (this.pending.has(k)) this.dropped++;
      this.pending.set(k, text);
      this.schedule();
      return;
    }
    this.socket.send(text);
  }

  private ping(): void {
    if (!this.open) return clearInterval(this.pinger);
    if (!this.answered) {
      // no pong since the last ping: the peer is gone; 'close' follows and gives its lines back
      return this.cutOff();
    }
    this.answered = false;
    this.socket.ping();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.open) return this.pending.clear();
      if (this.socket.bufferedAmount > BEHIND_BYTES) return this.schedule();
      if (this.dropped > 0) {
        this.socket.send(
          JSON.stringify({
            event: 'dropped',
            dropped: this.dropped,
            detail: `This client read too slowly: ${this.dropped} older quotes were replaced by newer ones.`,
          }),
        );
        this.dropped = 0;
      }
      const items = [...this.pending.values()];
      this.pending.clear();
      this.heldReplies = 0;
      for (const text of items) this.socket.send(text);
    }, RETRY_MS);
    this.timer.unref?.();
  }

  /** Ends the client at once (no closing handshake: it does not read); 'close' follows and gives its lines back. */
  private cutOff(): void {
    if (this.timer) clearTimeout(this.timer);
    clearInterval(this.pinger);
    this.pending.clear();
    this.socket.terminate();
  }

  close(code = 1000, reason = ''): void {
    if (this.timer) clearTimeout(this.timer);
    clearInterval(this.pinger);
    this.pending.clear();
    if (this.open) this.socket.close(code, reason);
  }
}
