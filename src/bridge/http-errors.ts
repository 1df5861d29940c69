/**
 * Every failure as an HTTP status and one sentence, `{"detail": "..."}`:
 * 503 not connected to IB, 404 unknown symbol, 400/422 bad parameters, 429 a
 * limit reached, 504 no answer in time.
 */
import { LOCAL_CODES } from '../ib/errors';
import type { IbErrorInfo } from '../ib/types';

/*
 * The domain's errors are recognised by name and shape, not by class: in the
 * editor the bridge is a bundle of its own, with its own copies of the classes.
 */
const named = (e: unknown, name: string): e is Error => e instanceof Error && e.name === name;
const ibInfo = (e: unknown): IbErrorInfo | undefined => {
  const info = (e as { info?: IbErrorInfo } | undefined)?.info;
  return info && typeof info.code === 'number' && typeof info.message === 'string' ? info : undefined;
};

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** When to ask again, in whole seconds (sent as Retry-After): a 503 while the bridge reconnects. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The sentence and the action, as one detail. */
function sentence(message: string, action?: string): string {
  return action ? `${message} ${action}` : message;
}

/** Any error from the domain (or the bridge itself) as a status and a detail. */
export function toHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  if (named(e, 'SymbolSyntaxError')) return new HttpError(400, `The symbol is not valid: ${e.message}.`);
  if (named(e, 'AmbiguousSymbolError') && ibInfo(e)) return new HttpError(422, sentence(ibInfo(e)!.message, ibInfo(e)!.action));
  const info = e instanceof Error ? ibInfo(e) : undefined;
  if (info) return fromIbInfo(info);
  return new HttpError(500, 'The bridge failed to answer this request; the failure is in its log.');
}

/** An IB error (as the domain describes it) as a status and a detail. */
export function fromIbInfo(info: IbErrorInfo): HttpError {
  {
    const text = sentence(info.message, info.action);
    if (info.code === LOCAL_CODES.noAnswer) return new HttpError(504, text);
    if (info.category === 'connectivity') return new HttpError(503, text);
    if (info.code === 200) return new HttpError(404, text);
    if (info.code === LOCAL_CODES.badSymbol) return new HttpError(400, text);
    if (info.category === 'pacing') return new HttpError(429, text);
    if (info.category === 'permission') return new HttpError(403, text);
    if (info.category === 'contract' || info.category === 'request') return new HttpError(422, text);
    return new HttpError(502, text);
  }
}
