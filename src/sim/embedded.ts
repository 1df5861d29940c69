/**
 * The simulator as the extension embeds it: one module, bundled on its own
 * (dist/sim-embedded.js) and required when a simulated gateway first starts.
 */
export * as server from './server';
export * as demo from './demo-start';
export * as market from './market';
