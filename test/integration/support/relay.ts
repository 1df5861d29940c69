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

/**
 * `dropFromClient`: asked for each message a client sends (after the "API\0"
 * greeting) with its message id; true drops it, as a gateway that never
 * answers it.
 */
export async function relay(target: number, options: { wholeFrames?: boolean; dropFromClient?: (msgId: string) => boolean } = {}): Promise<Relay> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    // forwarded at once both ways, as a direct connection would be (no wait for a delayed ACK)
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    if (options.dropFromClient) forwardWholeFrames(client, upstream, options.dropFromClient);
    else client.pipe(upstream);
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

/**
 * Writes what `from` sends to `to` in whole frames (4-byte length, then that
 * many bytes); with `drop`, a client's: its greeting passed on, then each
 * message whose id `drop` says true left out.
 */
function forwardWholeFrames(from: net.Socket, to: net.Socket, drop?: (msgId: string) => boolean): void {
  let held = Buffer.alloc(0);
  let greeted = !drop;
  from.on('data', (chunk: Buffer) => {
    held = Buffer.concat([held, chunk]);
    if (!greeted && held.length >= 4 && held.subarray(0, 4).toString('latin1') === 'API\0') {
      to.write(held.subarray(0, 4));
      held = held.subarray(4);
      greeted = true;
    }
    let end = 0;
    while (greeted && held.length - end >= 4 && held.length - end >= 4 + held.readUInt32BE(end)) {
      const size = held.readUInt32BE(end);
      const frame = held.subarray(end, end + 4 + size);
      if (!drop?.(frame.subarray(4).toString('latin1').split('\0')[0])) to.write(frame);
      end += 4 + size;
    }
    held = held.subarray(end);
  });
}
