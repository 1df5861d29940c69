/**
 * CME's calendar in the simulated market, against what TWS wrote for real
 * contracts (test/fixtures/tws-captures.json) and CME's holiday schedule:
 * the hours text of six calendar days (ES, and a stock's and EUR.USD's as recorded), Globex's short sessions on most US
 * holidays (halted at 12:00 Chicago), its full closures on New Year's Day,
 * Good Friday and Christmas, and an expiring contract's last session.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createMarket, createUniverse, liquidHours, tradingHours } from '../../src/sim/market';
import type { Instrument, Universe } from '../../src/sim/market';

const utc = (iso: string): number => Date.parse(`${iso}Z`);
const recorded = (id: string): string[] => {
  const all: Array<{ id: string; fields: string[] }> = JSON.parse(readFileSync(resolve('test/fixtures/tws-captures.json'), 'utf8'));
  return all.find((c) => c.id === id)!.fields;
};
const es = (u: Universe, localSymbol?: string): Instrument => {
  const [inst] = u.match({ symbol: 'ES', secType: 'FUT', ...(localSymbol ? { localSymbol } : {}) });
  assert.ok(inst, localSymbol);
  return inst;
};

/** All-hours TRADES bars of `inst` of `barSizeSeconds`, over `durationSeconds` up to `endIso` (UTC). */
const tradeBars = (m: ReturnType<typeof createMarket>, inst: Instrument, endIso: string, durationSeconds: number, barSizeSeconds: number) =>
  m.bars(inst, { endTime: utc(endIso) / 1000, durationSeconds, barSizeSeconds, whatToShow: 'TRADES', useRTH: false });

describe('simulated market: CME calendar and IB hours text', () => {
  it("writes ESM5's hours as TWS did on Thursday 22 May 2025 (Memorial Day: a session until 12:00)", () => {
    const now = utc('2025-05-22T15:00:00');
    const esm5 = es(createUniverse({ now }), 'ESM5');
    const fields = recorded('rust-contract-data-es-fut');
    assert.equal(tradingHours(esm5, now), fields[26]);
    // TWS's last liquid entry is the whole next evening session; the six days' regular hours are the same
    assert.equal(liquidHours(esm5, now), fields[27].split(';').slice(0, -1).join(';'));
  });

  it("writes a stock's hours as TWS did for TSLA on Thursday 29 December 2022 (six days, the holiday weekend CLOSED)", () => {
    const now = utc('2022-12-29T15:00:00');
    const aapl = createUniverse({ now }).byConId(265598)!;
    const fields = recorded('rust-contract-data-tsla-smart');
    assert.equal(tradingHours(aapl, now), fields[26]);
    assert.equal(liquidHours(aapl, now), fields[27]);
  });

  it('writes EUR.USD\'s hours as TWS did in December 2023: its Saturday an empty entry (the leading ";"), no CLOSED', () => {
    const fields = recorded('nautilus-contract-data-eurusd');
    // six days from Saturday 2 December; Sunday traded from 17:15, Friday until 17:00
    const now = utc('2023-12-02T15:00:00');
    const eur = createUniverse({ now }).byConId(12087792)!;
    assert.equal(tradingHours(eur, now), fields[26]);
    assert.equal(liquidHours(eur, now), fields[27]);
    // from a Tuesday the Saturday falls in the middle: ";;"
    const tuesday = tradingHours(eur, utc('2023-12-05T15:00:00'));
    assert.equal(
      tuesday,
      '20231204:1715-20231205:1700;20231205:1715-20231206:1700;20231206:1715-20231207:1700;20231207:1715-20231208:1700;;20231210:1715-20231211:1700',
    );
  });

  it('trades ES on Thanksgiving 2026 until 12:00 Chicago, regular hours included, and closes the Friday at 12:15', () => {
    const u = createUniverse({ now: utc('2026-11-24T15:00:00') });
    const m = createMarket({ seed: 7, universe: u });
    const esz6 = es(u);
    const aapl = u.byConId(265598)!;
    assert.equal(
      tradingHours(esz6, utc('2026-11-24T15:00:00')),
      '20261123:1700-20261124:1600;20261124:1700-20261125:1600;20261125:1700-20261126:1200;20261126:1700-20261127:1215;20261128:CLOSED;20261129:1700-20261130:1600',
    );
    assert.equal(
      liquidHours(esz6, utc('2026-11-24T15:00:00')),
      '20261124:0830-20261124:1600;20261125:0830-20261125:1600;20261125:1700-20261126:1200;20261127:0830-20261127:1215;20261128:CLOSED;20261129:CLOSED',
    );
    for (const rth of [false, true]) {
      assert.equal(m.isOpen(esz6, utc('2026-11-26T16:00:00'), rth), true, `10:00 Chicago on Thanksgiving, rth=${rth}`);
      assert.equal(m.isOpen(esz6, utc('2026-11-26T18:00:00'), rth), false, `12:00 Chicago on Thanksgiving, rth=${rth}`);
    }
    assert.equal(m.isOpen(esz6, utc('2026-11-26T23:00:00'), false), true, 'Globex reopens at 17:00 for Friday');
    assert.equal(m.isOpen(aapl, utc('2026-11-26T16:00:00'), false), false, 'US stocks stay shut');
    const minutes = tradeBars(m, esz6, '2026-11-26T23:00:00', 8 * 3600, 60);
    assert.equal(minutes.length, 3 * 60, '15:00Z to the 18:00Z halt, nothing after');
    assert.equal(new Date(minutes[minutes.length - 1].time * 1000).toISOString(), '2026-11-26T17:59:00.000Z');
  });

  it('shuts ES for Christmas 2026 and New Year 2027 (Globex reopens Sunday 17:00), after a 12:15 close on Christmas Eve', () => {
    const u = createUniverse({ now: utc('2026-12-21T15:00:00') });
    const m = createMarket({ seed: 7, universe: u });
    const esh7 = es(u);
    assert.equal(
      tradingHours(esh7, utc('2026-12-22T15:00:00')),
      '20261221:1700-20261222:1600;20261222:1700-20261223:1600;20261223:1700-20261224:1215;20261225:CLOSED;20261226:CLOSED;20261227:1700-20261228:1600',
    );
    assert.equal(
      tradingHours(esh7, utc('2026-12-29T15:00:00')),
      '20261228:1700-20261229:1600;20261229:1700-20261230:1600;20261230:1700-20261231:1600;20270101:CLOSED;20270102:CLOSED;20270103:1700-20270104:1600',
    );
    for (const iso of ['2026-12-24T18:15:00', '2026-12-25T16:00:00', '2026-12-27T22:59:00', '2027-01-01T16:00:00', '2027-01-03T22:59:00'])
      assert.equal(m.isOpen(esh7, utc(iso), false), false, iso);
    for (const iso of ['2026-12-24T18:14:00', '2026-12-27T23:00:00', '2026-12-31T21:59:00', '2027-01-03T23:00:00'])
      assert.equal(m.isOpen(esh7, utc(iso), false), true, iso);
    const days = tradeBars(m, esh7, '2026-12-28T00:00:00', 5 * 86_400, 86_400);
    assert.deepEqual(
      days.map((d) => new Date(d.time * 1000).toISOString().slice(0, 10)),
      ['2026-12-23', '2026-12-24', '2026-12-28'],
      'no day bar for Christmas or the weekend',
    );
  });

  it('halts ES at 12:00 Chicago on Juneteenth 2026 (a Friday), with nothing until Sunday evening', () => {
    const u = createUniverse({ now: utc('2026-06-15T15:00:00') });
    const m = createMarket({ seed: 7, universe: u });
    const esu6 = es(u, 'ESU6');
    assert.equal(
      tradingHours(esu6, utc('2026-06-16T15:00:00')),
      '20260615:1700-20260616:1600;20260616:1700-20260617:1600;20260617:1700-20260618:1600;20260618:1700-20260619:1200;20260620:CLOSED;20260621:1700-20260622:1600',
    );
    assert.equal(m.isOpen(esu6, utc('2026-06-19T16:59:00'), true), true);
    assert.equal(m.isOpen(esu6, utc('2026-06-19T17:00:00'), false), false);
    assert.equal(m.isOpen(esu6, utc('2026-06-19T22:00:00'), false), false, 'no evening session on a Friday');
  });

  it("ends an expiring contract's last session at its last trade time (ESU6, 18 September 2026: 08:30 Chicago, no regular hours)", () => {
    const now = utc('2026-09-18T09:00:00');
    const u = createUniverse({ now });
    const m = createMarket({ seed: 7, universe: u });
    const esu6 = es(u, 'ESU6');
    assert.equal(esu6.lastTradeTime, '08:30');
    // reported from a live IB Gateway: tradingHours "20260917:1700-20260918:0830", liquidHours "20260918:CLOSED"
    assert.match(tradingHours(esu6, now), /^20260917:1700-20260918:0830;20260919:CLOSED;/);
    assert.match(liquidHours(esu6, now), /^20260918:CLOSED;/);
    assert.equal(m.isOpen(esu6, utc('2026-09-18T13:29:00'), false), true, '08:29 Chicago');
    assert.equal(m.isOpen(esu6, utc('2026-09-18T13:30:00'), false), false, '08:30 Chicago');
    assert.equal(m.isOpen(esu6, utc('2026-09-18T13:29:00'), true), false, 'no regular hours on the last day');
    const last = tradeBars(m, esu6, '2026-09-18T20:00:00', 8 * 3600, 60);
    assert.equal(new Date(last[last.length - 1].time * 1000).toISOString(), '2026-09-18T13:29:00.000Z');
    const esz6 = es(u, 'ESZ6');
    assert.equal(m.isOpen(esz6, utc('2026-09-18T15:00:00'), true), true, 'the next contract trades on');
  });
});
