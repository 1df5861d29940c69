/**
 * The one seam between the domain and @stoqey/ib: a plain IBApi per
 * connection attempt, used through its public API only (constructor options,
 * connect, disconnect, on, the read requests), plus what lib-socket.ts and
 * decoder-guard.ts do to its socket (the transport's own framing with its
 * length checks, ticks and history bars read in one pass, no Nagle delay, a
 * guard around the decoder, a count of the messages that have left its send
 * queue), which are the only reach into the library's private fields (it
 * has no public hook ahead of its socket reader and decoder, nor one that says
 * when a queued request is sent).
 *
 * The client over it (client.ts) holds one listener per library event, each
 * dispatched by request id to the owner in the request table (one map read
 * per tick: a single listener also keeps the library's emitter from copying
 * the arguments of every event), and passes every error and notice through
 * the one classifier (errors.ts). Nothing outside this folder loads or calls
 * the library (lint: eslint.config.mjs, test/unit/transport-seam.test.ts).
 *
 * A fresh client is made for every attempt and thrown away whole afterwards:
 * nothing (listeners, requests, paused send buffers) carries over from a dead
 * connection to the next, and its requests fail with the not-connected error.
 */
import type * as Ib from '@stoqey/ib';
import { systemClock, type Clock } from '../clock';
import type { Logger } from '../log';
import { wireClient, type ClientEvents, type TwsClient } from './client';
import { guardDecoder } from './decoder-guard';
import { guardIncomingStream, sendWithoutDelay, trackSending } from './lib-socket';

let loaded: typeof Ib | undefined;

/**
 * The library, required when the first client is made, not when the
 * extension activates: its entry point loads all of RxJS and every API module
 * (tens of milliseconds), which the views and the status bar never need.
 */
function ibLib(): typeof Ib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@stoqey/ib') as typeof Ib;
  return loaded;
}

/** IB's code for a message with a bad length (EClientErrors.BAD_LENGTH). */
const BAD_LENGTH = 507;

/** Makes the client for one attempt. */
export type Transport = (host: string, port: number, events: ClientEvents, logger: Logger, clientId: number, clock?: Clock) => TwsClient;

export const createTwsClient: Transport = (host, port, events, logger, clientId, clock = systemClock) => {
  // Every option the library would otherwise look up is given here: without
  // them @stoqey/ib reads its own configuration, which runs dotenv on the
  // working directory and copies a repository's .env into the extension
  // host's environment (and into every process spawned from it).
  const api: Ib.IBApi = new (ibLib().IBApi)({ host, port, clientId, maxReqPerSec: 40 });
  // A frame length the library would loop on forever never reaches it (see frame-reader.ts).
  const reads = guardIncomingStream(api, (problem) => events.error(problem, BAD_LENGTH, -1));
  sendWithoutDelay(api);
  // a message the library misreads must reset the connection, not throw out of its socket handler
  guardDecoder(api, (message) => events.error(message, 505, -1));
  // time limits count from when a request leaves the library's send queue, not from when it was queued
  return wireClient(api, events, logger, clock, trackSending(api), reads);
};
