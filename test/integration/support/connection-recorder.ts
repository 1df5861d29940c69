/** What a ConnectionManager tells the outside world, recorded for a test; and a port with nothing listening. */
import * as net from 'node:net';
import type { ConnectionManager } from '../../../src/ib/connection';
import type { ConnectionStatus, IbErrorInfo } from '../../../src/ib/types';

/** Records everything a manager tells the outside world. */
export class Recorder {
  readonly statuses: ConnectionStatus[] = [];
  readonly errors: IbErrorInfo[] = [];
  readonly resubscribes: string[] = [];
  readies = 0;

  constructor(m: ConnectionManager) {
    m.onStatus((s) => this.statuses.push(s));
    m.onIbError((e) => this.errors.push(e));
    m.onResubscribe((r) => this.resubscribes.push(r));
    m.onReady(() => this.readies++);
  }

  phases(): string[] {
    return this.statuses.map((s) => s.phase).filter((p, i, all) => i === 0 || all[i - 1] !== p);
  }

  decodingErrors(): IbErrorInfo[] {
    return this.errors.filter((e) => e.code === 505);
  }
}

/** A loopback port with nothing listening: bound and closed again. */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
