/**
 * What a request still waiting for its answer is told when its connection
 * ends: not connected (504, so live lines and series are sent again on the
 * next ready), in words that say why, for every cause a session can end with;
 * and the connection's client passes the cause on to every waiting request.
 */
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { createClock } from '@sinonjs/fake-timers';
import { connectionEndedInfo } from '../../src/ib/contracts/failures';
import { describeIbError, IbError, LOCAL_CODES } from '../../src/ib/errors';
import { wireClient, type ClientEvents, type LibClient } from '../../src/ib/transport/client';
import type { IbErrorInfo } from '../../src/ib/types';

const HEAD = 'The connection to IB Gateway/TWS';
const UNREADABLE = /was reset before the answer came, because the gateway sent a message that could not be read\.$/;

describe('requests waiting when the connection ends: what they are told', () => {
  const causes: Array<[string, IbErrorInfo | undefined, RegExp]> = [
    ['505 (a message the decoder could not read)', describeIbError(505, 'x'), UNREADABLE],
    ['507 (a frame with a bad length)', describeIbError(507, 'x'), UNREADABLE],
    ['509 (an exception on the stream)', describeIbError(509, 'x'), UNREADABLE],
    [
      'the heartbeat (a silent gateway)',
      describeIbError(LOCAL_CODES.gatewaySilent),
      /was reset before the answer came, because the gateway stopped answering\.$/,
    ],
    ['the socket closed', describeIbError(504, 'connection closed'), /^The connection to IB Gateway\/TWS closed before the answer came\.$/],
    ['a client id clash (326)', describeIbError(326, 'in use'), /was closed before the answer came, because its client id is in use by another API client\.$/],
    [
      'the port changed (1300, any other cause)',
      describeIbError(1300),
      /ended before the answer came: IB Gateway\/TWS changed its socket port; the connection was closed\.$/,
    ],
    ['a close the extension asked for (no cause)', undefined, /^The connection to IB Gateway\/TWS was closed before the answer came\.$/],
  ];
  for (const [name, cause, words] of causes) {
    it(`${name}: not connected by code, why in words`, () => {
      const info = connectionEndedInfo(cause);
      assert.equal(info.code, 504);
      assert.equal(info.category, 'connectivity');
      assert.equal(info.source, undefined, 'the client-side 504, as IB numbers it');
      assert.ok(info.message.startsWith(HEAD), info.message);
      assert.match(info.message, words);
      assert.match(info.action, /^[A-Z].*\.$/, info.action);
      assert.equal(/could not be read/.test(info.message), [505, 507, 509].includes(cause?.code ?? 0), 'only an unreadable stream is said to be one');
    });
  }
});

/** The library's client as the wire uses it, sending nothing anywhere. */
class FakeLib extends EventEmitter {
  isConnected = true;
  serverVersion = 193;
  connect = () => this;
  disconnect = () => this;
  reqMktData = () => this;
  cancelMktData = () => this;
  reqMarketDataType = () => this;
  reqHistoricalData = () => this;
  cancelHistoricalData = () => this;
  reqContractDetails = () => this;
  reqMatchingSymbols = () => this;
  reqCurrentTime = () => this;
  reqManagedAccts = () => this;
}

function client() {
  const fake = createClock(0);
  const lib = new FakeLib();
  const none = () => undefined;
  const events: ClientEvents = { server: none, managedAccounts: none, nextValidId: none, info: none, error: none, disconnected: none };
  const silent = { debug: none, info: none, warn: none, error: none };
  const c = wireClient(lib as unknown as LibClient, events, silent, {
    now: () => fake.now,
    setTimeout: (fn, ms) => fake.setTimeout(fn, ms),
    clearTimeout: (h) => fake.clearTimeout(h as number),
  });
  const ended: IbErrorInfo[] = [];
  const owner = { error: none, end: (i: IbErrorInfo) => void ended.push(i), bar: none, update: none };
  const contract = { conId: 265598, exchange: 'SMART' };
  c.wire.historicalData(
    owner,
    { contract, endDateTime: '', duration: '1 D', barSize: '1 hour', whatToShow: 'TRADES', useRTH: true, keepUpToDate: false },
    { ms: 60_000, what: 'x' },
  );
  const search = c.wire.matchingSymbols('AA', { ms: 60_000, what: 'x' }).then(
    () => assert.fail('the search should fail'),
    (e: unknown) => (e instanceof IbError ? e.info : assert.fail(String(e))),
  );
  return { lib, c, ended, search };
}

describe("the connection's client passes the cause on to every waiting request", () => {
  it('close with a cause: each waiting request (a history request, a search) is told that cause, once', async () => {
    const { c, ended, search } = client();
    c.close(describeIbError(507, 'bad length'));
    c.close(describeIbError(LOCAL_CODES.gatewaySilent));
    const expected = connectionEndedInfo(describeIbError(507, 'bad length'));
    assert.deepEqual(ended, [expected]);
    assert.deepEqual(await search, expected);
  });

  it('close without a cause (the extension closed it): "was closed", nothing more', async () => {
    const { c, ended, search } = client();
    c.close();
    assert.deepEqual(ended, [connectionEndedInfo()]);
    assert.deepEqual(await search, connectionEndedInfo());
  });

  it('the socket closing under the client: "closed before the answer came"', async () => {
    const { lib, ended, search } = client();
    lib.isConnected = false;
    lib.emit('disconnected');
    assert.equal(ended.length, 1);
    assert.equal(ended[0].message, `${HEAD} closed before the answer came.`);
    assert.equal((await search).message, `${HEAD} closed before the answer came.`);
  });
});
