// What the request-table tests hand the table as a request's owner, and the time-limit ending they expect.
import { describeIbError, LOCAL_CODES } from '../../src/ib/errors';
import type { Ending } from '../../src/ib/transport/request-table';
import type { IbErrorInfo } from '../../src/ib/types';

/** An owner that keeps how its request ended. */
export class Owner implements Ending {
  ended: IbErrorInfo[] = [];
  end(info: IbErrorInfo): void {
    this.ended.push(info);
  }
}

/** The ending of request `id` that got no answer in time. */
export const noAnswer = (id: number): IbErrorInfo => ({ ...describeIbError(LOCAL_CODES.noAnswer, undefined, id), message: `no answer to #${id}` });
