/**
 * Errors the data services raise themselves, as IbError values a person can
 * read: not connected, the connection ended before the answer, no answer in
 * time, a request that could not be sent.
 */
import { describeIbError, IbError, LOCAL_CODES } from '../errors';
import type { IbErrorInfo } from '../types';
import { SymbolSyntaxError } from './symbol';

/** Code used for "the gateway did not answer in time"; IB has no code of its own for it. */
export const TIMEOUT_CODE = LOCAL_CODES.noAnswer;

export function notConnected(): IbError {
  return new IbError(describeIbError(504));
}

/** Codes that say the gateway's stream could not be read (the library's 505, a bad frame length 507, 509). */
const UNREADABLE_STREAM: ReadonlySet<number> = new Set([505, 507, 509]);

const AGAIN = 'Try again once the connection is back (it reconnects on its own)';

/**
 * What a request still waiting for its answer is told when its connection
 * ends: 504, not connected (so a live line or series is sent again on the
 * next ready, as after any drop), in words that say why the connection
 * ended, so that a failed chart or symbol search does not read as a bare
 * "not connected". `cause` is what ended the session (connection/attempt.ts:
 * an unreadable message, the socket closed, a silent gateway, a client id
 * clash); none when the extension closed it (a disconnect, new settings).
 */
export function connectionEndedInfo(cause?: IbErrorInfo): IbErrorInfo {
  const base = describeIbError(504);
  const head = 'The connection to IB Gateway/TWS';
  const said = (message: string, action: string): IbErrorInfo => ({ ...base, message, action });
  if (!cause) return said(`${head} was closed before the answer came.`, base.action);
  if (UNREADABLE_STREAM.has(cause.code)) {
    return said(
      `${head} was reset before the answer came, because the gateway sent a message that could not be read.`,
      `${AGAIN}; if this keeps happening, restart IB Gateway/TWS.`,
    );
  }
  switch (cause.code) {
    case LOCAL_CODES.gatewaySilent:
      return said(
        `${head} was reset before the answer came, because the gateway stopped answering.`,
        `${AGAIN}; if this repeats, check that IB Gateway/TWS is not frozen or showing a dialog.`,
      );
    case 504:
      return said(`${head} closed before the answer came.`, `${AGAIN}; if it does not come back, check that IB Gateway/TWS is still running.`);
    case 326:
      return said(`${head} was closed before the answer came, because its client id is in use by another API client.`, cause.action);
    default:
      return said(`${head} ended before the answer came: ${cause.message}`, cause.action);
  }
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
