/**
 * Checked by the type check (npm run typecheck, the first step of npm test),
 * not run: the wire the domain's services use (transport/wire.ts) offers read
 * requests only, so an order cannot be expressed in src/ib. Each line below
 * must fail to compile; if one of these methods became reachable, its
 * @ts-expect-error would be unused and the type check would fail.
 */
import type { TwsClient } from '../../src/ib/transport/client';
import type { ReadOnlyWire } from '../../src/ib/transport/wire';
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
  // @ts-expect-error the library's raw requests are not reachable either
  void wire.reqMktData;
  // the read requests are there
  void wire.marketData;
  void wire.historicalData;
  void wire.contractDetails;
}

/** The client a connection attempt drives: its wire and the handshake, nothing that reaches the library. */
export function clientOrdersDoNotCompile(client: TwsClient): void {
  // @ts-expect-error the IBApi inside is not reachable
  void client.api;
  // @ts-expect-error placeOrder is not part of a client
  void client.placeOrder;
  void client.wire.currentTime;
}

/** The wire a service gets from its session (IbSession.api): reads only too. */
export function sessionOrdersDoNotCompile(session: IbSession): void {
  const api = session.api;
  if (!api) return;
  // @ts-expect-error placeNewOrder is not part of what a service may call
  void api.placeNewOrder;
  // @ts-expect-error cancelOrder is not part of what a service may call
  void api.cancelOrder;
  // @ts-expect-error modifyOrder is not part of what a service may call
  void api.modifyOrder;
  void api.contractDetails;
}
