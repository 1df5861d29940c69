/**
 * The simulator's own protection against clients that hold resources without
 * speaking the protocol (not IB limits: those are in limits.ts). A client
 * that does not finish the handshake and START_API in time is closed; frames
 * before START_API are small; the number of open connections is capped.
 */

export interface GuardOptions {
  /** Open connections at most (handshaking ones included); more are closed at once. Default 64. */
  maxConnections?: number;
  /** ms from connect to START_API before the connection is closed. Default 10000. */
  handshakeTimeoutMs?: number;
  /** Largest frame before START_API (START_API itself is a few bytes). Default 64 KiB. */
  maxFrameBeforeStart?: number;
}

export type ResolvedGuards = Required<GuardOptions>;

export function resolveGuards(options: GuardOptions | undefined): ResolvedGuards {
  return {
    maxConnections: options?.maxConnections ?? 64,
    handshakeTimeoutMs: options?.handshakeTimeoutMs ?? 10_000,
    maxFrameBeforeStart: options?.maxFrameBeforeStart ?? 64 * 1024,
  };
}

/** This computer's own addresses; anything else exposes the simulator to the network. */
export function isLoopbackAddress(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '0:0:0:0:0:0:0:1';
}

export function exposedWarning(host: string, port: number): string {
  return `the simulated gateway listens on ${host}:${port}, beyond this computer: anyone who can reach that address can connect to it (it has no authentication). Use --host 127.0.0.1 unless that is what you want.`;
}
