/**
 * A TCP relay between clients and the simulator, for tests that slip bytes
 * into what a client reads: `inject()` writes to every client. With
 * `wholeFrames`, the simulator's bytes are passed on whole frames at a time,
 * so an injected frame always lands between two of its frames.
 */
import * as net from 'node:net';

export interface Relay {
  port: number;
  inject(b: Buffer): void;
  close(): Promise<void>;
}

export async function relay(target: number, options: { wholeFrames?: boolean } = {}): Promise<Relay> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    // forwarded at once both ways, as a direct connection would be (no wait for a delayed ACK)
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    if (options.wholeFrames) forwardWholeFrames(upstream, client);
    else upstream.pipe(client);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    inject: (b) => pairs.forEach(([c]) => c.write(b)),
    close: () => {
      pairs.forEach(([c, u]) => (c.destroy(), u.destroy()));
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Writes what `from` sends to `to` in whole frames (4-byte length, then that many bytes). */
function forwardWholeFrames(from: net.Socket, to: net.Socket): void {
  let held = Buffer.alloc(0);
  from.on('data', (chunk: Buffer) => {
    held = Buffer.concat([held, chunk]);
    let end = 0;
    while (held.length - end >= 4 && held.length - end >= 4 + held.readUInt32BE(end)) end += 4 + held.readUInt32BE(end);
    if (end > 0) to.write(held.subarray(0, end));
    held = held.subarray(end);
  });
}
