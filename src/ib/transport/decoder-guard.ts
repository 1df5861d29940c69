/**
 * A guard around @stoqey/ib's decoder. The library catches only its own
 * "underrun" while reading a message; anything else it meets in a message it
 * misreads (a count that is not a number makes `new Array(NaN)` throw, a bad
 * JSON field makes JSON.parse throw) escapes from the socket's data handler as
 * an uncaught exception, which would end a headless process and leaves the
 * decoder's queue half read. Here such a throw is caught, the queue dropped,
 * and the fault reported like the library's own decoding errors (505), which
 * resets the connection: the stream can no longer be trusted.
 */
import type { IBApi } from '@stoqey/ib';

interface Internals {
  controller?: { processIngressQueue?: () => void; decoder?: { dataQueue?: unknown[] } };
}

/** Installs the guard on a client; `onFault` gets a short description. Returns false when the library's shape is not the expected one. */
export function guardDecoder(api: IBApi, onFault: (message: string) => void): boolean {
  const controller = (api as unknown as Internals).controller;
  const process = controller?.processIngressQueue;
  if (!controller || typeof process !== 'function') return false;
  controller.processIngressQueue = () => {
    try {
      process.call(controller);
    } catch (e) {
      if (controller.decoder?.dataQueue) controller.decoder.dataQueue = [];
      onFault(`a message from the gateway could not be decoded (${e instanceof Error ? e.name : 'error'}: ${e instanceof Error ? e.message : String(e)})`);
    }
  };
  return true;
}
