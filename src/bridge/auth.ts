/**
 * The token rule: on the loopback interface no token is needed; anywhere
 * else one is, and every request (WebSocket upgrades too) must carry it as
 * `Authorization: Bearer <token>`.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { isLoopbackHost } from '../ib/config';

/** Why the bridge may not start with this host and token, or undefined. */
export function checkBinding(host: string, token: string | undefined): string | undefined {
  if (token !== undefined && !/^[\x21-\x7e]{16,256}$/.test(token)) {
    return 'the bridge token must be 16 to 256 printable characters without spaces';
  }
  if (!isLoopbackHost(host) && token === undefined) {
    return `listening on ${host} makes the bridge reachable from other machines, so it needs a token: pass --token (or set IB_BRIDGE_TOKEN) and send "Authorization: Bearer <token>" with every request`;
  }
  return undefined;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** True when the Authorization header carries the token (compared in constant time). */
export function hasToken(header: string | undefined, token: string): boolean {
  if (typeof header !== 'string') return false;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  return timingSafeEqual(digest(m[1]), digest(token));
}
