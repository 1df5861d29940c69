import assert from 'node:assert/strict';
import { createUniverse } from '../../src/sim/market';
import type { Instrument } from '../../src/sim/market';

const NOW = Date.UTC(2026, 10, 25, 17, 0);

describe('simulated market: universe', () => {
  const u = createUniverse({ now: NOW });

  it('holds stocks, ETFs, indices, futures and forex with unique conIds', () => {
    const all = u.all();
    assert.ok(all.length >= 24, `only ${all.length} instruments`);
    assert.equal(new Set(all.map((i) => i.conId)).size, all.length, 'conIds must be unique');
    for (const s of ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOGL', 'META', 'JPM']) {
      const [inst, ...rest] = u.match({ symbol: s, secType: 'STK', currency: 'USD' });
      assert.ok(inst, s);
      assert.equal(rest.length, 0, `${s} should be one contract`);
      assert.equal(inst.stockType, 'COMMON');
    }
    for (const s of ['SPY', 'QQQ', 'IWM', 'GLD', 'TLT']) assert.equal(u.match({ symbol: s, secType: 'STK' })[0]?.stockType, 'ETF', s);
    const spx = u.match({ symbol: 'SPX', secType: 'IND', exchange: 'CBOE' });
    assert.equal(spx.length, 1);
    assert.equal(spx[0].averageVolume, 0);
    for (const i of all) {
      assert.ok(i.minTick > 0 && i.basePrice > 0 && i.volatility > 0, `${i.localSymbol} numbers`);
      assert.ok(i.timeZoneId.length > 0 && i.localSymbol.length > 0, `${i.localSymbol} names`);
    }
  });

  it('uses IB conIds for the well-known contracts, and a conId alone identifies', () => {
    assert.equal(u.byConId(265598)?.symbol, 'AAPL');
    assert.equal(u.byConId(272093)?.symbol, 'MSFT');
    assert.equal(u.byConId(756733)?.symbol, 'SPY');
    assert.deepEqual(
      u.match({ conId: 265598 }).map((i) => i.symbol),
      ['AAPL'],
    );
    assert.deepEqual(u.match({ conId: 265598, symbol: 'MSFT' }), [], 'conflicting fields find nothing');
    assert.deepEqual(u.match({ conId: 1 }), []);
  });

  it('narrows by symbol, secType, exchange, currency; empty fields are wildcards; SMART matches any stock', () => {
    assert.equal(u.match({ symbol: 'aapl', secType: '', exchange: '', currency: '' }).length, 1);
    assert.equal(u.match({ symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' }).length, 1);
    assert.equal(u.match({ symbol: 'AAPL', secType: 'STK', exchange: 'NASDAQ' }).length, 1);
    assert.equal(u.match({ symbol: 'AAPL', secType: 'STK', exchange: 'SMART', primaryExchange: 'NASDAQ' }).length, 1);
    assert.equal(u.match({ symbol: 'AAPL', secType: 'STK', currency: 'EUR' }).length, 0);
    assert.equal(u.match({ symbol: 'AAPL', secType: 'FUT' }).length, 0);
    assert.equal(u.match({ symbol: 'SPX', secType: 'IND', exchange: 'SMART' }).length, 0, 'SMART is for stocks');
    assert.deepEqual(u.match({}), []);
    assert.deepEqual(u.match({ symbol: 'NOPE' }), []);
  });

  it('lists an ambiguous symbol on both exchanges, and narrows it by currency or exchange', () => {
    const both = u.match({ symbol: 'SHOP', secType: 'STK' });
    assert.equal(both.length, 2);
    assert.deepEqual(both.map((i) => i.currency).sort(), ['CAD', 'USD']);
    const cad = u.match({ symbol: 'SHOP', secType: 'STK', currency: 'CAD' });
    assert.equal(cad.length, 1);
    assert.equal(cad[0].primaryExchange, 'TSE');
    assert.deepEqual(u.match({ symbol: 'SHOP', secType: 'STK', exchange: 'TSE' }), cad);
    assert.equal(u.match({ symbol: 'SHOP', exchange: 'SMART', currency: 'USD' })[0]?.primaryExchange, 'NYSE');
    assert.ok(
      u.all().some((i) => !i.liveSubscribed),
      'one instrument without a live subscription',
    );
    assert.equal(cad[0].liveSubscribed, false);
  });

  it('lists two or more future contract months, identified by month, expiry or local symbol', () => {
    for (const [symbol, exchange, multiplier] of [
      ['ES', 'CME', '50'],
      ['NQ', 'CME', '20'],
      ['CL', 'NYMEX', '1000'],
    ]) {
      const months = u.match({ symbol, secType: 'FUT' });
      assert.ok(months.length >= 2, `${symbol}: ${months.length} months`);
      assert.equal(new Set(months.map((m) => m.contractMonth)).size, months.length);
      for (const m of months) {
        assert.equal(m.exchange, exchange);
        assert.equal(m.multiplier, multiplier);
        assert.match(m.lastTradeDateOrContractMonth, /^\d{8}$/);
        assert.match(m.localSymbol, new RegExp(`^${symbol}[FGHJKMNQUVXZ]\\d$`));
        assert.equal(m.localSymbol.slice(-1), m.contractMonth.slice(3, 4), 'year digit');
        assert.equal('FGHJKMNQUVXZ'.indexOf(m.localSymbol.slice(-2, -1)) + 1, Number(m.contractMonth.slice(4)), 'month code');
        assert.deepEqual(u.match({ symbol, secType: 'FUT', lastTradeDateOrContractMonth: m.contractMonth }), [m]);
        assert.deepEqual(u.match({ symbol, secType: 'FUT', lastTradeDateOrContractMonth: m.lastTradeDateOrContractMonth }), [m]);
        assert.deepEqual(u.match({ secType: 'FUT', localSymbol: m.localSymbol }), [m]);
        assert.deepEqual(
          u.match({ symbol, secType: 'FUT', exchange: exchange === 'CME' ? 'GLOBEX' : exchange, multiplier, lastTradeDateOrContractMonth: m.contractMonth }),
          [m],
        );
      }
    }
  });

  it('chooses live futures months whatever the date, with stable conIds', () => {
    const seen = new Map<string, number>();
    for (const iso of ['2025-01-02', '2026-03-19', '2026-03-20', '2026-12-31', '2031-06-15', '2040-09-30']) {
      const now = Date.parse(`${iso}T12:00:00Z`);
      const es = createUniverse({ now }).match({ symbol: 'ES', secType: 'FUT' });
      const today = iso.replace(/-/g, '');
      const expiries = es.map((m) => m.lastTradeDateOrContractMonth);
      assert.deepEqual([...expiries].sort(), expiries, 'front month first');
      assert.ok(expiries[0] >= today, `${iso}: front month ${expiries[0]} already expired`);
      const frontDays = (Date.parse(`${expiries[0].slice(0, 4)}-${expiries[0].slice(4, 6)}-${expiries[0].slice(6)}T00:00:00Z`) - now) / 86_400_000;
      assert.ok(frontDays < 95, `${iso}: front month ${frontDays} days away`);
      for (const m of es) {
        assert.equal(Number(m.contractMonth.slice(4)) % 3, 0, 'quarterly');
        const d = new Date(
          `${m.lastTradeDateOrContractMonth.slice(0, 4)}-${m.lastTradeDateOrContractMonth.slice(4, 6)}-${m.lastTradeDateOrContractMonth.slice(6)}T12:00:00Z`,
        );
        // the third Friday, or the business day before when that Friday is a holiday (Juneteenth 2026)
        const friday = d.getUTCDay() === 5 ? d : new Date(d.getTime() + 86_400_000);
        assert.equal(friday.getUTCDay(), 5, `${m.localSymbol} expires on (or the day before) a Friday`);
        assert.ok(friday.getUTCDate() >= 15 && friday.getUTCDate() <= 21, `${m.localSymbol} third Friday`);
        const before = seen.get(m.contractMonth);
        if (before !== undefined) assert.equal(m.conId, before, `${m.localSymbol} conId is stable`);
        seen.set(m.contractMonth, m.conId);
      }
    }
  });

  it('quotes forex on IDEALPRO as base symbol plus currency', () => {
    const eur = u.match({ symbol: 'EUR', secType: 'CASH', currency: 'USD', exchange: 'IDEALPRO' });
    assert.equal(eur.length, 1);
    assert.equal(eur[0].localSymbol, 'EUR.USD');
    assert.equal(eur[0].quoteOnly, true);
    assert.equal(u.match({ symbol: 'USD', secType: 'CASH', currency: 'JPY' })[0]?.localSymbol, 'USD.JPY');
    assert.equal(u.match({ localSymbol: 'GBP.USD', secType: 'CASH' }).length, 1);
    assert.equal(u.match({ symbol: 'EUR', secType: 'CASH', currency: 'JPY' }).length, 0);
  });

  it('searches symbol prefixes first, then name words, at most 16', () => {
    const rank = (i: Instrument, p: string): number => (i.symbol.startsWith(p) || i.localSymbol.startsWith(p) ? 0 : 1);
    for (const p of ['A', 'S', 'E', 'M', 'N']) {
      const found = u.search(p.toLowerCase());
      assert.ok(found.length > 0 && found.length <= 16, `${p}: ${found.length}`);
      const ranks = found.map((i) => rank(i, p));
      assert.deepEqual([...ranks].sort(), ranks, `${p}: prefix matches first (${found.map((i) => i.localSymbol).join(' ')})`);
    }
    assert.equal(u.search('AAPL')[0].symbol, 'AAPL');
    const micro = u.search('micro').map((i) => i.symbol);
    assert.ok(micro.includes('MSFT') && micro.includes('AMD'), micro.join(' '));
    assert.ok(u.search('apple').some((i) => i.symbol === 'AAPL'));
    assert.deepEqual(u.search('  '), []);
    assert.deepEqual(u.search('ZZZZQ'), []);
  });
});
