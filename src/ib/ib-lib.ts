/**
 * @stoqey/ib's string enums that the domain uses, without loading the library
 * (transport/tws-transport.ts loads it when the first client is made): every
 * member of @stoqey/ib 1.6's EventName and SecType has its own name as its
 * value (test/unit/ib-lib.test.ts checks this against the library).
 */
import type * as Ib from '@stoqey/ib';

function nameEnum<T extends object>(): T {
  return new Proxy({}, { get: (_target, key) => key }) as T;
}

/** @stoqey/ib's EventName, without loading the library. */
export const EventName = nameEnum<typeof Ib.EventName>();
/** @stoqey/ib's SecType, without loading the library. */
export const SecType = nameEnum<typeof Ib.SecType>();
export type EventName = Ib.EventName;
export type SecType = Ib.SecType;
