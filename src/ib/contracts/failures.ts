/**
 * Errors the data services raise themselves, as IbError values a person can
 * read: not connected, no answer in time, a request that could not be sent.
 */
import { describeIbError, IbError, LOCAL_CODES } from '../errors';
import type { IbErrorInfo } from '../types';
import { SymbolSyntaxError } from './symbol';

/** Code used for "the gateway did not answer in time"; IB has no code of its own for it. */
export const TIMEOUT_CODE = LOCAL_CODES.noAnswer;

export function notConnected(): IbError {
  return new IbError(describeIbError(504));
}

export function timeoutInfo(what: string, ms: number, reqId?: number): IbErrorInfo {
  return { ...describeIbError(TIMEOUT_CODE, undefined, reqId), message: `IB Gateway/TWS did not answer the ${what} within ${formatSeconds(ms)}.` };
}

export function timeoutError(what: string, ms: number, reqId?: number): IbError {
  return new IbError(timeoutInfo(what, ms, reqId));
}

/** An IB error reported for a request (code and IB's own text). */
export function requestError(code: number, raw: string | undefined, reqId?: number): IbError {
  return new IbError(describeIbError(code, raw, reqId));
}

/** Turns whatever a failed request threw into an IbError. */
export function toIbError(e: unknown): IbError {
  if (e instanceof IbError) return e;
  if (e instanceof SymbolSyntaxError) {
    // nothing was sent: the text itself is wrong, and the syntax message says what was expected
    return new IbError({ ...describeIbError(LOCAL_CODES.badSymbol), message: e.message });
  }
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'number') {
    const err = e as { code: number; reqId?: number; error?: Error; message?: string };
    return requestError(err.code, err.error?.message ?? err.message, err.reqId);
  }
  return new IbError(describeIbError(LOCAL_CODES.requestFailed, e instanceof Error ? e.message : String(e)));
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
