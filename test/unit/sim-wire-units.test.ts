import { strict as assert } from 'node:assert';
import { createUniverse } from '../../src/sim/market';
import { wireBarVolume, wireSize, wireVolume } from '../../src/sim/wire-units';

const u = createUniverse({ now: Date.parse('2026-11-17T15:00:00Z') });
const aapl = u.byConId(265598)!;
const eur = u.all().find((i) => i.secType === 'CASH' && i.localSymbol === 'EUR.USD')!;
const shopCad = u.all().find((i) => i.symbol === 'SHOP' && i.currency === 'CAD')!;

describe('sim wire units (TWS facts note, section 1)', () => {
  it('sends US stock sizes in lots before 159 and shares from it', () => {
    assert.equal(wireSize(aapl, 2300, 157), 23);
    assert.equal(wireSize(aapl, 2300, 158), 23);
    assert.equal(wireSize(aapl, 2300, 159), 2300);
    assert.equal(wireSize(aapl, 2300, 193), 2300);
    assert.equal(wireSize(aapl, 37, 157), 1, 'an odd lot still shows as one lot');
    assert.equal(wireSize(aapl, 0, 157), 0);
  });

  it('sends US stock volume ticks in whole lots at every version this gateway speaks (shares only from 220)', () => {
    for (const v of [157, 178, 193]) assert.equal(wireVolume(aapl, 32_388_650, v), 323_886);
    assert.equal(wireVolume(aapl, 32_388_650, 220), 32_388_650);
  });

  it('sends historical bar volume in lots before 175 (decimals from 163, whole before), shares from it; -1 stays -1', () => {
    assert.equal(wireBarVolume(aapl, 94_883_722, 174), 948_837.22);
    assert.equal(wireBarVolume(aapl, 94_883_722, 163), 948_837.22);
    assert.equal(wireBarVolume(aapl, 94_883_722, 162), 948_837);
    assert.equal(wireBarVolume(aapl, 94_883_772, 157), 948_838);
    assert.equal(wireBarVolume(aapl, 94_883_722, 175), 94_883_722);
    assert.equal(wireBarVolume(aapl, -1, 157), -1);
  });

  it('leaves forex (base currency units) and non-US stocks (shares) alone', () => {
    assert.equal(wireSize(eur, 2_500_000, 157), 2_500_000);
    assert.equal(wireVolume(shopCad, 12_345, 193), 12_345);
    assert.equal(wireBarVolume(shopCad, 12_345, 157), 12_345);
  });
});
