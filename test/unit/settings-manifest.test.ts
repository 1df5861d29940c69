// The settings VS Code's settings editor shows (package.json) and the values the code
// accepts and falls back to are one set of facts: each default, limit and choice here
// is read from both and must agree.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_PORT as BRIDGE_DEFAULT_PORT } from '../../src/bridge/types';
import { BAR_SIZES } from '../../src/ib/bar-sizes';
import { parseSymbol } from '../../src/ib/contracts/symbol';
import { DEFAULT_SETTINGS, MAX_CLIENT_ID, TIMING_LIMITS } from '../../src/ib/config';
import { CONNECTION_DEFAULTS } from '../../src/ib/connection/attempt';
import {
  DEFAULT_BAR_SIZE,
  DEFAULT_DURATION,
  MARKET_DATA_TYPES,
  MAX_SYMBOL_LENGTH,
  PORT_RANGE,
  SECTION,
  SEED_RANGE,
  SIMULATOR_DEFAULTS,
} from '../../src/vscode/setting-values';

interface Property {
  type: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: string[];
  items?: { maxLength?: number };
}

const ROOT = resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: Array<{ properties: Record<string, Property> }> };
};
const properties: Record<string, Property> = Object.assign({}, ...manifest.contributes.configuration.map((c) => c.properties));

function setting(key: string): Property {
  const p = properties[`${SECTION}.${key}`];
  assert.ok(p, `package.json declares ${SECTION}.${key}`);
  return p;
}

function range(key: string): [number | undefined, number | undefined] {
  const p = setting(key);
  return [p.minimum, p.maximum];
}

describe('settings: package.json and the code agree', () => {
  it('the connection block: defaults and limits of enabled, host, port and client id', () => {
    assert.equal(setting('enabled').default, DEFAULT_SETTINGS.enabled);
    assert.equal(setting('host').default, DEFAULT_SETTINGS.host);
    assert.equal(setting('port').default, DEFAULT_SETTINGS.port);
    assert.deepEqual(range('port'), [...PORT_RANGE]);
    assert.equal(setting('clientId').default, DEFAULT_SETTINGS.clientId);
    assert.deepEqual(range('clientId'), [0, MAX_CLIENT_ID]);
  });

  it('the reconnect delays: defaults, and the limits the code refuses outside of', () => {
    assert.equal(setting('reconnect.initialDelayMs').default, CONNECTION_DEFAULTS.reconnectInitialDelayMs);
    assert.equal(setting('reconnect.maxDelayMs').default, CONNECTION_DEFAULTS.reconnectMaxDelayMs);
    assert.deepEqual(range('reconnect.initialDelayMs'), [...TIMING_LIMITS.reconnectInitialDelayMs]);
    assert.deepEqual(range('reconnect.maxDelayMs'), [...TIMING_LIMITS.reconnectMaxDelayMs]);
  });

  it('the watchlist, market data type and charts: entries, choices and defaults', () => {
    assert.equal(setting('watchlist').items?.maxLength, MAX_SYMBOL_LENGTH);
    // an entry the settings editor takes is one the symbol parser reads: the longest passes, one more is refused by both
    const longest = `ES 2027-03 FUT@CME ${'X'.repeat(MAX_SYMBOL_LENGTH - 19)}`;
    assert.equal(longest.length, MAX_SYMBOL_LENGTH);
    const refusal = (text: string): string => {
      try {
        parseSymbol(text);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };
    assert.doesNotMatch(refusal(longest), /longer than/);
    assert.match(refusal(`${longest}Z`), /longer than 64 characters/);
    assert.deepEqual(setting('marketDataType').enum, [...MARKET_DATA_TYPES]);
    assert.equal(setting('marketDataType').default, 'auto');
    assert.deepEqual(setting('chart.defaultBarSize').enum, [...BAR_SIZES]);
    assert.equal(setting('chart.defaultBarSize').default, DEFAULT_BAR_SIZE);
    assert.equal(setting('chart.defaultDuration').default, DEFAULT_DURATION);
  });

  it('the simulated gateway and the bridge: ports and seed', () => {
    assert.equal(setting('simulator.port').default, SIMULATOR_DEFAULTS.port);
    assert.deepEqual(range('simulator.port'), [0, PORT_RANGE[1]]);
    assert.equal(setting('simulator.seed').default, SIMULATOR_DEFAULTS.seed);
    assert.deepEqual(range('simulator.seed'), [...SEED_RANGE]);
    assert.equal(setting('bridge.port').default, BRIDGE_DEFAULT_PORT);
    assert.deepEqual(range('bridge.port'), [...PORT_RANGE]);
  });

  it('every integer setting has limits (the settings editor warns outside them, as the code does)', () => {
    const open = Object.entries(properties)
      .filter(([, p]) => p.type === 'integer' && (p.minimum === undefined || p.maximum === undefined))
      .map(([k]) => k);
    assert.deepEqual(open, []);
  });
});
