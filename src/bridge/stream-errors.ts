/** How a stream tells a client about an error: its body, and whether it ends a live series. */
import type { IbErrorInfo } from '../ib/types';
import { isUnknownSymbol } from './quote-hub';

/** The body of an "error" event: the symbol it is about, a sentence with what to do, IB's code and its category. */
export const errorBody = (symbol: string, e: IbErrorInfo) => ({ symbol, detail: `${e.message} ${e.action}`, code: e.code, category: e.category });

/** A live series that can never start or go on: the symbol, the request or the account's permissions. */
export const endsBars = (e: IbErrorInfo) => isUnknownSymbol(e) || e.category === 'request' || e.category === 'permission';
