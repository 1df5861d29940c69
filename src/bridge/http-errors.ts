/**
 * Every failure as an HTTP status and one sentence, `{"detail": "..."}`:
 * 503 not connected to IB, 404 unknown symbol, 400/422 bad parameters, 429 a
 * limit reached, 504 no answer in time.
 */
import { LOCAL_CODES, NO_SECURITY_DEFINITION } from '../ib/errors';
import type { ErrorCategory, IbErrorInfo } from '../ib/types';

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
    /** IB's error code (or the extension's own, from 9001) and its category, when the failure has them. */
    readonly ib?: { code: number; category: ErrorCategory },
  ) {
    super(message);
    this.name = 'HttpError';
  }

  /** The JSON body: the sentence, and IB's code and category where there are. */
  body(): { detail: string; code?: number; category?: ErrorCategory } {
    return this.ib ? { detail: this.message, code: this.ib.code, category: this.ib.category } : { detail: this.message };
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

/** An IB error (as the domain describes it) as a status and a detail, with its code and category. */
export function fromIbInfo(info: IbErrorInfo): HttpError {
  const text = sentence(info.message, info.action);
  return new HttpError(statusOf(info), text, undefined, { code: info.code, category: info.category });
}

function statusOf(info: IbErrorInfo): number {
  if (info.code === LOCAL_CODES.noAnswer || info.code === LOCAL_CODES.silentLine) return 504;
  if (info.category === 'connectivity') return 503;
  if (info.code === NO_SECURITY_DEFINITION) return 404;
  if (info.code === LOCAL_CODES.badSymbol) return 400;
  if (info.category === 'pacing') return 429;
  if (info.category === 'permission') return 403;
  if (info.category === 'contract' || info.category === 'request') return 422;
  return 502;
}
