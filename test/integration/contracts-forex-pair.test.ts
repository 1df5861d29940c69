/**
 * A forex pair written the other way round from IB's (USD.EUR: IB lists EUR.USD) gets IB's "no security
 * definition" with the pair IB lists, over TCP against the simulator on a fake clock. A pair IB lists neither way
 * gets IB's plain 200.
 */
import { strict as assert } from 'node:assert';
import { ContractService } from '../../src/ib/contracts';
import { IbError } from '../../src/ib/errors';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, type TestSession } from './support/session';
import { fakeTime, type FakeTime } from '../support/fake-time';
import { marketTime, simClockAt } from '../support/market-times';

describe('a forex pair the other way round, against the simulator', () => {
  let time: FakeTime;
  let sim: StartedSim;
  let session: TestSession;
  let contracts: ContractService;

  before(async () => {
    time = fakeTime(marketTime('regularSession'));
    sim = await startSim({ clock: simClockAt('regularSession'), scheduler: time.scheduler });
    session = await connectSession(sim.port, 43, { clock: time.clock });
    contracts = new ContractService(session.manager, undefined, { now: () => time.now(), clock: time.clock });
  });

  after(async () => {
    await session?.close();
    await sim?.stop();
    session?.assertNoDecodingErrors();
  });

  const refusal = async (text: string): Promise<IbError> => {
    const e = await contracts.resolve(text).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(e instanceof IbError, `${text}: ${String(e)}`);
    return e;
  };

  it('USD.EUR: 200, naming EUR.USD and how to read it; JPY.USD names USD.JPY', async () => {
    const e = await refusal('USD.EUR');
    assert.equal(e.info.code, 200);
    assert.match(e.message, /IB lists this pair the other way round: EUR\.USD \(the price of one EUR in USD\), not USD\.EUR/);
    assert.match(e.info.action ?? '', /Ask for EUR\.USD/);
    const jpy = await refusal('JPY.USD');
    assert.match(jpy.message, /other way round: USD\.JPY/);
    // IB's own pair resolves as ever
    assert.equal((await contracts.resolve('EUR.USD')).secType, 'CASH');
  });

  it('a pair IB lists neither way: the plain 200; a stock IB does not know is not turned around', async () => {
    const e = await refusal('EUR.SEK');
    assert.equal(e.info.code, 200);
    assert.doesNotMatch(e.message, /other way round/);
    const s = await refusal('NOSUCHCO');
    assert.doesNotMatch(s.message, /other way round/);
  });
});
