/**
 * The bridge serves programs, not web pages. A page in a browser on the same
 * machine can reach 127.0.0.1 too: a cross-site `fetch(..., {method: 'POST',
 * mode: 'no-cors'})` needs no CORS answer to take effect (POST /disconnect
 * would drop every service's gateway), and a page whose own name is made to
 * resolve to 127.0.0.1 (DNS rebinding) reads the answers as its own. So:
 *
 * - a request a browser marks as coming from a page of another site (an
 *   `Origin` header, or `Sec-Fetch-Site` other than `none`) is refused, 403;
 *   programs (Go's net/http, curl, WebSocket libraries) send neither;
 * - without a token, only the loopback names (and Docker's names for the
 *   host, which containers use) may be in `Host`, else 421: a rebound name
 *   is not one of them. With a token, the token is the guard (clients on
 *   other machines use the host's own name).
 */
import { isLoopbackHost } from '../ib/config';

/** The names a container uses for the machine it runs on (Docker Desktop forwards them to its loopback). */
const DOCKER_HOST_NAMES: ReadonlySet<string> = new Set(['host.docker.internal', 'gateway.docker.internal']);

/** The host name of a Host header ("127.0.0.1:8092", "[::1]:8092", "localhost"), lower case, without the port. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** Why a request is refused as a browser page's (status and sentence), or undefined. */
export function browserRefusal(
  headers: { origin?: string; host?: string; 'sec-fetch-site'?: string | string[] },
  tokenRequired: boolean,
): { status: 403 | 421; detail: string } | undefined {
  const site = headers['sec-fetch-site'];
  if (headers.origin !== undefined || (site !== undefined && site !== 'none')) {
    return {
      status: 403,
      detail: `The bridge serves programs, not web pages: a request from a page in a browser (Origin ${headers.origin ?? 'not sent'}) is refused.`,
    };
  }
  if (tokenRequired || headers.host === undefined) return undefined;
  const name = hostName(headers.host);
  if (isLoopbackHost(name) || DOCKER_HOST_NAMES.has(name)) return undefined;
  return {
    status: 421,
    detail: `This bridge answers only to its loopback address (127.0.0.1, localhost) without a token, not to the name "${name}".`,
  };
}
