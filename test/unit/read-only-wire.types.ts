/**
 * Checked by the type check (npm run typecheck, the first step of npm test),
 * not run: the plain client the domain's services use offers read requests
 * only, so an order cannot be expressed in src/ib. Each line below must fail
 * to compile; if one of these methods became reachable, its @ts-expect-error
 * would be unused and the type check would fail.
 */
import type { ReadOnlyWire } from '../../src/ib/contracts/wire';
import type { IbSession } from '../../src/ib/types';

export function ordersDoNotCompile(wire: ReadOnlyWire): void {
  // @ts-expect-error placeOrder is not part of what the domain may send
  void wire.placeOrder;
  // @ts-expect-error cancelOrder is not part of what the domain may send
  void wire.cancelOrder;
  // @ts-expect-error reqGlobalCancel is not part of what the domain may send
  void wire.reqGlobalCancel;
  // @ts-expect-error exerciseOptions is not part of what the domain may send
  void wire.exerciseOptions;
  // the read requests are there
  void wire.reqMktData;
  void wire.reqHistoricalData;
}

/** The client a service gets from its session (IbSession.api): reads only too. */
export function sessionOrdersDoNotCompile(session: IbSession): void {
  const api = session.api;
  if (!api) return;
  // @ts-expect-error placeNewOrder is not part of what a service may call
  void api.placeNewOrder;
  // @ts-expect-error cancelOrder is not part of what a service may call
  void api.cancelOrder;
  // @ts-expect-error modifyOrder is not part of what a service may call
  void api.modifyOrder;
  void api.getContractDetails;
}
