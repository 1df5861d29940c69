/**
 * Requests a test makes with a real @stoqey/ib client (connectApi in ./sim), each one answered or refused: what
 * the sim-* tests of contract details and bars share.
 */
import { EventName, type Contract, type ContractDetails } from '@stoqey/ib';
import type { ApiClient } from './sim';

/** Polls the client's errors for one of `reqId`: stops the request's listeners and rejects with IB's code. */
export function rejectOnError(c: ApiClient, reqId: number, stop: () => void, reject: (e: Error & { code?: number }) => void): ReturnType<typeof setInterval> {
  return setInterval(() => {
    const e = c.errors.find((x) => x.reqId === reqId);
    if (!e) return;
    stop();
    reject(Object.assign(new Error(`${e.code} ${e.message}`), { code: e.code }));
  }, 10);
}

/** IB's contract details for `contract`, every row up to CONTRACT_DATA_END; an error for the request rejects. */
export function details(c: ApiClient, reqId: number, contract: Contract): Promise<ContractDetails[]> {
  return new Promise((resolve, reject) => {
    const rows: ContractDetails[] = [];
    const onRow = (id: number, d: ContractDetails) => id === reqId && rows.push(d);
    const onEnd = (id: number) => {
      if (id !== reqId) return;
      stop();
      resolve(rows);
    };
    const check = rejectOnError(c, reqId, () => stop(), reject);
    const stop = () => {
      clearInterval(check);
      c.api.off(EventName.contractDetails, onRow);
      c.api.off(EventName.contractDetailsEnd, onEnd);
    };
    c.api.on(EventName.contractDetails, onRow);
    c.api.on(EventName.contractDetailsEnd, onEnd);
    c.api.reqContractDetails(reqId, contract);
  });
}
