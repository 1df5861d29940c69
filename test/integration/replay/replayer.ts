/**
 * A stand-in for TWS that says only what real TWS said: a raw TCP server on
 * the loopback address that does the API handshake at a chosen server version
 * (answering, like TWS, with the lower of that version and the client's
 * highest) and then sends recorded messages, field for field, when the client
 * asks. Nothing here comes from the simulator: it is the other witness.
 *
 * Wire format (IB's, from v100): a client opens with "API\0" and a framed
 * "v<min>..<max>"; every frame after that is a 4-byte big-endian length and
 * NUL-terminated text fields.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** Ids of the client's requests the domain sends (IB's outgoing message ids). */
export const OUT = {
  REQ_MKT_DATA: 1,
  CANCEL_MKT_DATA: 2,
  REQ_IDS: 8,
  REQ_CONTRACT_DATA: 9,
  REQ_MANAGED_ACCTS: 17,
  REQ_HISTORICAL_DATA: 20,
  CANCEL_HISTORICAL_DATA: 25,
  REQ_CURRENT_TIME: 49,
  REQ_MARKET_DATA_TYPE: 59,
  START_API: 71,
} as const;

export interface Request {
  id: number;
  fields: string[];
}

export type Handler = (req: Request, send: (fields: ReadonlyArray<string | number>) => void) => void;

export interface ReplayerOptions {
  /** The server version TWS had; the handshake answers min(this, the client's max). */
  serverVersion: number;
  /** The handshake's connection time, "yyyyMMdd HH:mm:ss <login zone>" as TWS wrote it. */
  connectionTime: string;
  /** Frames sent after START_API, before any request (the connect burst). */
  onStart?: ReadonlyArray<ReadonlyArray<string | number>>;
  /** Simulated now for CURRENT_TIME answers (epoch seconds). */
  nowSeconds: number;
}

export function frame(fields: ReadonlyArray<string | number>): Buffer {
  const body = Buffer.from(fields.map((f) => `${f}\0`).join(''), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

export class Replayer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly handlers = new Map<number, Handler>();
  /** Every request received, in order. */
  readonly received: Request[] = [];
  /** The version the last handshake settled on. */
  negotiated: number | undefined;
  private current: Socket | undefined;

  constructor(private readonly options: ReplayerOptions) {}

  /** Answers every request with this message id (replacing an earlier handler). */
  on(id: number, handler: Handler): this {
    this.handlers.set(id, handler);
    return this;
  }

  /** Sends frames unasked, on the open connection. */
  push(fields: ReadonlyArray<string | number>): void {
    if (!this.current) throw new Error('no client is connected to the replayer');
    this.current.write(frame(fields));
  }

  requests(id: number): Request[] {
    return this.received.filter((r) => r.id === id);
  }

  async start(): Promise<number> {
    this.server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(socket: Socket): void {
    // as the gateway (and the simulator) do: a reply goes out at once, not after the client's delayed ACK
    socket.setNoDelay(true);
    this.sockets.add(socket);
    this.current = socket;
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (this.current === socket) this.current = undefined;
    });
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let greeted = false;
    const send = (fields: ReadonlyArray<string | number>) => {
      if (!socket.destroyed) socket.write(frame(fields));
    };
    socket.on('data', (data) => {
      buf = Buffer.concat([buf, data]);
      if (!greeted) {
        if (buf.length < 8) return;
        if (buf.subarray(0, 4).toString('latin1') !== 'API\0') {
          socket.destroy();
          return;
        }
        const len = buf.readUInt32BE(4);
        if (buf.length < 8 + len) return;
        const offer = buf.subarray(8, 8 + len).toString('utf8');
        buf = buf.subarray(8 + len);
        greeted = true;
        const m = /^v(\d+)\.\.(\d+)/.exec(offer);
        const clientMax = m ? Number(m[2]) : this.options.serverVersion;
        this.negotiated = Math.min(clientMax, this.options.serverVersion);
        send([this.negotiated, this.options.connectionTime]);
      }
      while (buf.length >= 4) {
        const len = buf.readUInt32BE(0);
        if (buf.length < 4 + len) return;
        const text = buf.subarray(4, 4 + len).toString('utf8');
        buf = buf.subarray(4 + len);
        const fields = text.split('\0');
        if (fields[fields.length - 1] === '') fields.pop();
        this.onRequest({ id: Number(fields[0]), fields }, send);
      }
    });
  }

  private onRequest(req: Request, send: (fields: ReadonlyArray<string | number>) => void): void {
    this.received.push(req);
    const handler = this.handlers.get(req.id);
    if (handler) {
      handler(req, send);
      return;
    }
    switch (req.id) {
      case OUT.START_API:
        for (const f of this.options.onStart ?? []) send(f);
        return;
      case OUT.REQ_IDS:
        send(['9', '1', '1']);
        return;
      case OUT.REQ_MANAGED_ACCTS:
        send(['15', '1', 'DU1234567']);
        return;
      case OUT.REQ_CURRENT_TIME:
        send(['49', '1', this.options.nowSeconds]);
        return;
      default:
        return; // TWS says nothing to what this replay has no recording of
    }
  }
}
