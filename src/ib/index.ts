/**
 * The IB domain: connection, contracts, quotes and candles. Nothing here
 * imports `vscode`; the editor layer uses only what this file exports.
 */
export * from './types';
export { silentLogger, type Logger } from './log';
export * from './bar-sizes';
export { IbError, describeIbError, KNOWN_ERROR_CODES, LOCAL_CODES, requestErrorRole } from './errors';
export * from './config';
export { ConnectionManager } from './connection';
export * from './contracts';
export { QuoteService, QuoteState, dataTypeFromNumber, dataTypeToNumber, isDelayedTick, type QuoteServiceOptions } from './quotes';
export * from './candles';
export { TIMEOUT_CODE } from './contracts/failures';
