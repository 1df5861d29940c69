/**
 * The jax bridge, as the editor loads it (dist/bridge-server.js, required when
 * the bridge first starts) and the headless CLI uses it.
 */
export { Bridge } from './server';
export { DEFAULT_PORT, type BridgeOptions, type BridgeServices, type BridgeConnection } from './types';
export { hostOnThisMachine } from './docker-host';
