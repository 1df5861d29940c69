/**
 * The sentence a person sees for any failure: the domain's human message and
 * action for IB errors, the plain message otherwise.
 */
import { IbError } from '../ib/errors';
import type { IbErrorInfo } from '../ib/types';

export function infoText(info: IbErrorInfo): string {
  return [info.message, info.action].filter((t) => t && t.trim()).join(' ');
}

export function errorText(error: unknown): string {
  if (error instanceof IbError) return infoText(error.info);
  if (error instanceof Error) return error.message;
  return String(error);
}

export function errorCode(error: unknown): number | undefined {
  return error instanceof IbError ? error.info.code : undefined;
}
