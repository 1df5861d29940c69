/**
 * Puts a FrameGuard in front of @stoqey/ib's socket reader, without editing
 * the library: its Socket hands every TCP chunk to its own `onData` method
 * (`.on("data", (data) => this.onData(data))`), so replacing that method on
 * the instance puts the guard first. A chunk with a bad frame length never
 * reaches the library; the socket is closed and `onCorrupt` says why.
 */
import type { IBApi } from '@stoqey/ib';
import { FrameGuard } from './frame-guard';

interface LibSocket {
  onData(data: Buffer): void;
  disconnect(): void;
}

function isLibSocket(x: unknown): x is LibSocket {
  const s = x as Partial<LibSocket> | undefined;
  return typeof s?.onData === 'function' && typeof s.disconnect === 'function';
}

/** The Socket inside an IBApi (its private controller.socket). */
function librarySocket(api: IBApi): LibSocket {
  const socket: unknown = (api as unknown as { controller?: { socket?: unknown } }).controller?.socket;
  if (!isLibSocket(socket)) throw new Error('@stoqey/ib: IBApi has no controller.socket.onData (unsupported library version)');
  return socket;
}

/** Guards the incoming stream of one IBApi for the life of its socket (one connection attempt). */
export function guardIncomingStream(api: IBApi, onCorrupt: (problem: string) => void): void {
  const socket = librarySocket(api);
  const read = socket.onData;
  const guard = new FrameGuard();
  let broken = false;
  socket.onData = function guarded(this: LibSocket, data: Buffer): void {
    if (broken) return;
    const problem = guard.check(data);
    if (problem === undefined) {
      read.call(this, data);
      return;
    }
    broken = true;
    socket.disconnect();
    onCorrupt(problem);
  };
}
