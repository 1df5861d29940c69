/**
 * A guard around @stoqey/ib's decoder. The library catches only its own
 * "underrun" while reading a message; anything else it meets in a message it
 * misreads (a count that is not a number makes `new Array(NaN)` throw, a bad
 * JSON field makes JSON.parse throw) escapes from the socket's data handler as
 * an uncaught exception, which would end a headless process and leaves the
 * decoder's queue half read. Here such a throw is caught, the queue dropped,
 * and the fault reported like the library's own decoding errors (505), which
 * resets the connection: the stream can no longer be trusted.
 *
 * The library decodes every message inside its socket reader (`onData`, once
 * per TCP chunk), so the guard sits there: one try per chunk, nothing added to
 * the work of each message.
 */
import type { IBApi } from '@stoqey/ib';
import { clipped } from '../text';

interface Internals {
  controller?: { socket?: { onData?: (data: Buffer) => void }; decoder?: { dataQueue?: unknown[] } };
}

/** Installs the guard on a client; `onFault` gets a short description. Returns false when the library's shape is not the expected one. */
export function guardDecoder(api: IBApi, onFault: (message: string) => void): boolean {
  const controller = (api as unknown as Internals).controller;
  const socket = controller?.socket;
  const read = socket?.onData;
  if (!controller || !socket || typeof read !== 'function') return false;
  socket.onData = function decoded(this: unknown, data: Buffer): void {
    try {
      read.call(this, data);
    } catch (e) {
      if (controller.decoder?.dataQueue) controller.decoder.dataQueue = [];
      // the exception's text may quote the message (as long as the gateway made it): cut as the gateway's own texts are
      const why = clipped(e instanceof Error ? e.message : String(e));
      onFault(`a message from the gateway could not be decoded (${e instanceof Error ? e.name : 'error'}: ${why})`);
    }
  };
  return true;
}
