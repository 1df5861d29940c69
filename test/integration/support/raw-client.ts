/**
 * A raw TWS API client on a socket (no library): the handshake at a chosen
 * version, START_API, frames sent as field lists and every frame received
 * kept, for reading the simulator's answers field by field.
 */
import * as net from 'node:net';
import { encodeFrame } from '../../../src/sim/codec';
import { handshake } from './sim';
import { waitUntil } from '../../support/wait';

export interface RawClient {
  frames: string[][];
  send(fields: Array<string | number>): void;
  /** Resolves with the first frame (after `from`) that `match` accepts. */
  next(match: (f: string[]) => boolean, from?: number): Promise<string[]>;
  close(): void;
}

/** Every frame the socket receives, as its fields (the 4-byte length prefix and NUL separators taken off), in order. */
export function collectFrames(socket: net.Socket): string[][] {
  const frames: string[][] = [];
  let buffer = Buffer.alloc(0);
  socket.on('data', (d: Buffer) => {
    buffer = Buffer.concat([buffer, d]);
    while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32BE(0)) {
      const len = buffer.readUInt32BE(0);
      frames.push(
        buffer
          .subarray(4, 4 + len)
          .toString('utf8')
          .split('\0')
          .slice(0, -1),
      );
      buffer = buffer.subarray(4 + len);
    }
  });
  return frames;
}

let nextClientId = 1;

/** Connects at `version`, starts the API with a new client id and waits for NEXT_VALID_ID. */
export async function connectRaw(port: number, version: number): Promise<RawClient> {
  const socket = net.connect({ host: '127.0.0.1', port });
  const frames = collectFrames(socket);
  await new Promise<void>((ok, fail) => socket.once('connect', ok).once('error', fail));
  socket.write(handshake(`v100..${version}`));
  socket.write(encodeFrame([71, 2, nextClientId++, '']));
  const raw: RawClient = {
    frames,
    send: (fields) => socket.write(encodeFrame(fields)),
    next: (match, from = 0) =>
      waitUntil('such a frame', () => frames.slice(from).find(match), 5000).catch(() => {
        throw new Error(`no such frame; got ${JSON.stringify(frames.slice(from))}`);
      }),
    close: () => socket.destroy(),
  };
  await raw.next((f) => f[0] === '9');
  return raw;
}
