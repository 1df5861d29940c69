/**
 * jax configs written for its containers name the gateway
 * `host.docker.internal` (Docker's name for the host machine). The bridge
 * runs on the host itself, where that name usually does not resolve: there
 * the gateway is on 127.0.0.1.
 */
export function hostOnThisMachine(host: string): { host: string; note?: string } {
  if (host.trim().toLowerCase() === 'host.docker.internal') {
    return {
      host: '127.0.0.1',
      note: 'ib.host is host.docker.internal, the name containers use for this machine; the bridge runs on this machine, so it connects to 127.0.0.1 (containers reach the bridge at http://host.docker.internal:<port>)',
    };
  }
  return { host };
}
