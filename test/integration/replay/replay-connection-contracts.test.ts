/**
 * Replay of recorded TWS: the handshake and connect burst, and CONTRACT_DATA
 * for a stock, a future and a forex pair, through @stoqey/ib over TCP into
 * the connection manager and the contract service.
 */
import { strict as assert } from 'node:assert';
import { capture, replayFields } from './captures';
import { answerContracts, startRig, type Rig } from './rig';
import { OUT } from './replayer';
import { IbError, LOCAL_CODES } from '../../../src/ib/errors';
import { contractLine } from '../../../src/ib/contracts/contract-line';

describe('replay: connection and contracts as real TWS sent them', () => {
  let rig: Rig | undefined;

  afterEach(async () => {
    await rig?.close();
    rig?.session.assertNoDecodingErrors();
    rig = undefined;
  });

  for (const id of ['rust-handshake-reply-gmt', 'rust-handshake-reply-bst', 'scmhub-ibsync11-handshake-205']) {
    it(`${id}: the negotiated version and the login zone reach the session`, async () => {
      const c = capture(id);
      const [version, time] = c.fields;
      // simulated now: the connection time itself (all three are recorded instants)
      rig = await startRig({
        serverVersion: Number(version),
        connectionTime: time,
        simulatedStart: Date.parse(`${time.slice(0, 4)}-${time.slice(4, 6)}-${time.slice(6, 8)}T${time.slice(9, 17)}Z`),
      });
      const status = rig.session.manager.status;
      assert.equal(status.phase, 'ready');
      // TWS answers min(client, server): @stoqey/ib 1.6 offers up to 193
      assert.equal(status.serverVersion, Math.min(Number(version), 193));
      assert.equal(status.serverTime, time);
    });
  }

  it('the recorded connect burst leaves every farm OK, and 2107 (a period, not a colon) marks ushmds inactive', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: Date.parse('2025-03-23T22:21:01Z') });
    assert.deepEqual(rig.session.manager.status.farms, { 'usfarm.nj': 'ok', cashhmds: 'ok', ushmds: 'ok', secdefil: 'ok' });
    rig.replayer.push(capture('rust-err-2107-ushmds').fields);
    await rig.settle();
    assert.equal(rig.session.manager.status.farms.ushmds, 'inactive');
    assert.deepEqual(rig.managerErrors, [], 'OK and inactive farms are not news for a person');
  });

  it('the nightly reset as recorded (IBC #143): 2103 breaks usfarm and is told, 1100 marks the IB link lost, the session stays', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: Date.parse('2021-10-01T04:00:00Z') });
    rig.replayer.push(replayFields(capture('ibc143-err-2103-usfarm'), 173));
    rig.replayer.push(replayFields(capture('ibc143-err-1100'), 173));
    await rig.settle();
    const status = rig.session.manager.status;
    assert.equal(status.farms.usfarm, 'broken');
    assert.equal(status.ibLink, 'lost');
    assert.equal(status.phase, 'ready', 'TWS keeps the socket open through 1100');
    assert.deepEqual(
      rig.managerErrors.map((e) => e.code),
      [2103, 1100],
    );
  });

  it('2119 (a farm connecting, thetagang #175) and 2104 for uscrypto are quiet', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: Date.parse('2023-03-15T14:00:00Z') });
    rig.replayer.push(replayFields(capture('thetagang175-err-2119'), 173));
    rig.replayer.push(replayFields(capture('ibscripts13-err-2104-uscrypto'), 173));
    await rig.settle();
    assert.equal(rig.session.manager.status.farms.uscrypto, 'ok');
    assert.deepEqual(rig.managerErrors, []);
  });

  it('TSLA: two CONTRACT_DATA of one conId are one stock, in US/Eastern, on NASDAQ', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: Date.parse('2023-01-03T15:00:00Z') });
    answerContracts(rig.replayer, 173, 'rust-contract-data-tsla-smart', 'rust-contract-data-tsla-amex');
    const tsla = await rig.contracts.resolve('TSLA');
    assert.equal(tsla.conId, 76792991);
    assert.equal(tsla.secType, 'STK');
    assert.equal(tsla.currency, 'USD');
    assert.equal(tsla.primaryExchange, 'NASDAQ');
    assert.equal(tsla.timeZoneId, 'US/Eastern');
    assert.equal(tsla.minTick, 0.01);
    assert.equal(tsla.longName, 'TESLA INC');
    assert.match(tsla.liquidHours ?? '', /^20221229:0930-20221229:1600;/);
    // what the hover and Quote Details say it is
    assert.equal(contractLine(tsla), 'TESLA INC · stock · NASDAQ · USD · conId 76792991');
  });

  it('a symbol IB knows only as a kind of contract not shown here (a warrant) is said so in words, under its own code, not as "no security definition" (200)', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: Date.parse('2023-01-03T15:00:00Z') });
    // the recorded TSLA answer, its security type changed to WAR (the layout is the same)
    rig.replayer.on(OUT.REQ_CONTRACT_DATA, (req, send) => {
      const reqId = Number(req.fields[2]);
      const fields = replayFields(capture('rust-contract-data-tsla-smart'), 173, reqId).map(String);
      assert.equal(fields[3], 'STK');
      fields[3] = 'WAR';
      send(fields);
      send(['52', '1', reqId]);
    });
    await assert.rejects(rig.contracts.resolve('TSLA'), (e: IbError) => {
      assert.equal(e.code, LOCAL_CODES.unsupportedContract);
      assert.equal(e.info.source, 'local');
      assert.match(e.message, /does not show/);
      assert.match(e.message, /known to IB as WAR/);
      return true;
    });
  });

  it('ESM5: the last trade date comes without its time and zone, multiplier 50, CME, US/Central', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: Date.parse('2025-05-21T15:00:00Z') });
    answerContracts(rig.replayer, 173, 'rust-contract-data-es-fut');
    const es = await rig.contracts.resolve('ES 202506 FUT@CME');
    assert.equal(es.conId, 620731015);
    assert.equal(es.secType, 'FUT');
    assert.equal(es.exchange, 'CME');
    assert.equal(es.localSymbol, 'ESM5');
    // TWS: "20250620 08:30 US/Central"; sent back in a request it must be a date
    assert.equal(es.lastTradeDateOrContractMonth, '20250620');
    assert.equal(es.multiplier, '50');
    assert.equal(es.timeZoneId, 'US/Central');
    assert.equal(es.display, 'ESM5 (CME)');
    assert.equal(contractLine(es), 'E-mini S&P 500 · future ESM5 · CME · USD · ×50 · last trade 2025-06-20 · conId 620731015');
  });

  it('symbol search for TSLA: 16 recorded descriptions, the US listing (sent as ISLAND, read as NASDAQ) first, the bond-issuer placeholder (conId -1) left out', async () => {
    rig = await startRig({ serverVersion: 173, simulatedStart: Date.parse('2023-04-14T15:00:00Z') });
    rig.replayer.on(81, (req, send) => send(replayFields(capture('rust-symbol-samples-tsla'), 173, Number(req.fields[1])))); // REQ_MATCHING_SYMBOLS [81, reqId, pattern]
    const matches = await rig.contracts.search('TSLA');
    assert.equal(matches[0].conId, 76792991);
    // TWS in its ISLAND compatibility mode sends the old name; IB no longer accepts it in a contract without that mode
    assert.equal(matches[0].primaryExchange, 'NASDAQ');
    assert.equal(matches[0].currency, 'USD');
    assert.deepEqual(matches[0].derivativeSecTypes, ['CFD', 'OPT', 'IOPT', 'WAR', 'BAG']);
    assert.ok(matches.some((m) => m.symbol === 'TL0' && m.primaryExchange === 'IBIS' && m.currency === 'EUR'));
    assert.equal(matches.length, 15, 'every listing but the placeholder');
    assert.ok(matches.every((m) => m.conId > 0));
  });

  it('EUR.USD: a CASH pair on IDEALPRO with its fractional tick', async () => {
    rig = await startRig({ serverVersion: 176, simulatedStart: Date.parse('2023-12-04T15:00:00Z') });
    answerContracts(rig.replayer, 176, 'nautilus-contract-data-eurusd');
    const eur = await rig.contracts.resolve('EUR.USD');
    assert.equal(eur.conId, 12087792);
    assert.equal(eur.secType, 'CASH');
    assert.equal(eur.exchange, 'IDEALPRO');
    assert.equal(eur.currency, 'USD');
    assert.equal(eur.minTick, 0.00005);
    assert.equal(eur.timeZoneId, 'US/Eastern');
    assert.equal(contractLine(eur), 'European Monetary Union Euro · forex pair · IDEALPRO · priced in USD · conId 12087792');
  });
});

describe("replay: what the domain sends is what IB's own clients sent", () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  /**
   * Numbers compared as numbers ("0.0" and "0" are the same strike), and an
   * empty field as 0 where the other client wrote a zero (IB's decoders read
   * an empty number as 0; @stoqey/ib leaves unset numbers empty); the rest as text.
   */
  function sameField(a: string, b: string): boolean {
    const num = (x: string) => (x === '' ? 0 : Number(x));
    const numeric = (x: string) => x === '' || Number.isFinite(Number(x));
    return a === b || (numeric(a) && numeric(b) && (a !== '' || Number(b) === 0) && (b !== '' || Number(a) === 0) && num(a) === num(b));
  }

  const requests: Array<[string, string, number, string]> = [
    ['IB Python client (ib-scripts #13)', 'ibscripts13-req-contract-details', 176, 'AMGN'],
    ['rust-ibapi (TSLA)', 'rust-contract-data-tsla-smart', 173, 'TSLA'],
  ];
  for (const [who, id, version, symbol] of requests) {
    it(`REQ_CONTRACT_DATA for ${symbol} at ${version} has the fields ${who} sent`, async () => {
      const c = capture(id) as ReturnType<typeof capture> & { request?: string[] };
      const recorded = c.direction === 'to-tws' ? c.fields : c.request!;
      rig = await startRig({ serverVersion: version, simulatedStart: Date.parse('2023-03-15T14:00:00Z') });
      answerContracts(rig.replayer, version, 'rust-contract-data-tsla-smart');
      await rig.contracts.resolve(symbol).catch(() => undefined); // the answer is TSLA's; only the request matters here
      const sent = rig.replayer.requests(9)[0].fields; // REQ_CONTRACT_DATA
      assert.equal(sent.length, recorded.length, `${JSON.stringify(sent)} vs ${JSON.stringify(recorded)}`);
      for (let i = 0; i < sent.length; i++) {
        if (i === 2) continue; // the request id is each client's own
        assert.ok(sameField(sent[i], recorded[i]), `field ${i}: ${JSON.stringify(sent[i])} vs ${JSON.stringify(recorded[i])} (${JSON.stringify(sent)})`);
      }
    });
  }
});
