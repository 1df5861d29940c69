/**
 * The IB domain: connection, contracts, quotes and candles. Nothing here
 * imports `vscode`. The jax bridge takes the domain from this file; the
 * editor layer imports the parts it needs from their own folders.
 */
export * from './types';
export { type Logger } from './log';
export * from './bar-sizes';
export { IbError, describeIbError } from './errors';
export * from './config';
export { ConnectionManager } from './connection';
export * from './contracts';
export { QuoteService } from './quotes';
export { gatewayClockPerConnection } from './gateway-clock';
export * from './candles';
