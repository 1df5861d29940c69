/**
 * @stoqey/ib, loaded on first use. Its entry point loads all of RxJS and every
 * API module (tens of milliseconds); the extension's views and status bar need
 * none of it, so the library is required when the first client is made, not
 * when the extension activates.
 *
 * Its string enums that the domain uses before that point are mirrored here:
 * every member of @stoqey/ib 1.6's EventName and SecType has its own name as
 * its value (test/unit/ib-lib.test.ts checks this against the library).
 */
import type * as Ib from '@stoqey/ib';

let loaded: typeof Ib | undefined;

/** The library itself, required the first time it is asked for. */
export function ibLib(): typeof Ib {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@stoqey/ib') as typeof Ib;
  return loaded;
}

function nameEnum<T extends object>(): T {
  return new Proxy({}, { get: (_target, key) => key }) as T;
}

/** @stoqey/ib's EventName, without loading the library. */
export const EventName = nameEnum<typeof Ib.EventName>();
/** @stoqey/ib's SecType, without loading the library. */
export const SecType = nameEnum<typeof Ib.SecType>();
export type EventName = Ib.EventName;
export type SecType = Ib.SecType;
