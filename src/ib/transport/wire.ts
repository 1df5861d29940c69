/**
 * What the domain may send to IB Gateway/TWS and what it hears back: the read
 * requests the product makes, nothing else. There is no method here that
 * could place, modify or cancel an order, so no code in the domain can
 * express one (test/unit/read-only-wire.types.ts holds this to the type
 * check). The one implementation is tws-transport.ts.
 */
import type { Contract, ContractDescription, ContractDetails } from '@stoqey/ib';
import type { ClassifiedMessage } from '../errors';
import type { Disposable } from '../types';
import type { Ending } from './request-table';

/** One bar as IB's historical-data events carry it. */
export interface WireBar {
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** IB's weighted average price of the bar (-1 or 0 when it has none, as for MIDPOINT). */
  wap?: number;
}

/** The owner of a request: hears its errors and notices (classified) and its end. */
export interface RequestOwner extends Ending {
  /** An error or notice IB sent for this request ('error', 'notice' or 'ignore' role). */
  error(message: ClassifiedMessage): void;
}

/** The owner of a market-data line or snapshot. */
export interface MarketDataOwner extends RequestOwner {
  /**
   * A price, size, generic or string tick (`text` for string ticks only); `read` numbers the socket read it
   * came in (the ticks of one read arrived at the same moment; none where the client does not count them).
   */
  tick(tickType: number, value: number | undefined, text: string | undefined, read?: number): void;
  /** The data type the gateway reports for this line (1 live, 2 frozen, 3 delayed, 4 delayed frozen). */
  dataType(type: number): void;
  /** A snapshot is complete. */
  snapshotEnd(): void;
}

/** The owner of a historical-data request (a fetch, or a keep-up-to-date series). */
export interface HistoryOwner extends RequestOwner {
  /** A bar of the answer; its end is a bar whose time starts with "finished". */
  bar(bar: WireBar): void;
  /** A keep-up-to-date update. */
  update(bar: WireBar): void;
}

export interface HistoryParams {
  contract: Contract;
  endDateTime: string;
  duration: string;
  barSize: string;
  whatToShow: string;
  useRTH: boolean;
  keepUpToDate: boolean;
}

/** A request in the table: its id, and how to end it. */
export interface WireRequest {
  readonly id: number;
  /** The answer is complete: its time limit ends, events keep coming (a stream). */
  answered(): void;
  /** Cancels it on the gateway (while connected) and forgets it. */
  cancel(): void;
  /** Forgets it without a cancel (the gateway has already ended it). */
  forget(): void;
}

/** Every IB message as it arrived (code, request id, IB's text): for logs and tests, not for routing. */
export type MessageTap = (code: number, reqId: number, text: string) => void;

/** One connection's read-only requests; a new one for every connection. */
export interface ReadOnlyWire {
  /** Negotiated in the handshake (0 before). */
  readonly serverVersion: number;
  readonly isConnected: boolean;
  /** A market-data line (snapshot false) or a snapshot, with a time limit for snapshots. */
  marketData(owner: MarketDataOwner, contract: Contract, snapshot: boolean, timeLimit?: { ms: number; what: string }): WireRequest;
  /** The market-data type for lines sent after it (1 live, 2 frozen, 3 delayed, 4 delayed frozen). */
  marketDataType(type: number): void;
  /** Historical bars; a time limit until the answer is complete (see WireRequest.answered). */
  historicalData(owner: HistoryOwner, params: HistoryParams, timeLimit: { ms: number; what: string }): WireRequest;
  /** Contract details for a (partial) contract; rejects with an IbError. */
  contractDetails(contract: Contract, timeLimit: { ms: number; what: string }): Promise<ContractDetails[]>;
  /** IB's matching symbols for a pattern; rejects with an IbError. */
  matchingSymbols(pattern: string, timeLimit: { ms: number; what: string }): Promise<ContractDescription[]>;
  /** The gateway's clock, epoch seconds; rejects with an IbError. */
  currentTime(timeoutMs: number): Promise<number>;
  /** Requests in the table and listeners on the client (for leak checks). */
  counts(): { requests: number; listeners: number };
  /** Every IB message of this connection (logs and tests). */
  onMessage(tap: MessageTap): Disposable;
}
