/**
 * Bad settings and jax config files: every problem names the setting and what
 * was given (briefly, without control characters), nothing invalid comes out
 * as settings, and a ConnectionManager handed impossible settings directly
 * fails in words without throwing or leaking a socket or timer.
 */
import { strict as assert } from 'node:assert';
import { checkBarRequest } from '../../src/ib/bar-sizes';
import { parseJaxConfig, toJaxConfig, validateSettings } from '../../src/ib/config';
import { ConnectionManager } from '../../src/ib/connection';
import { IbError } from '../../src/ib/errors';
import type { ConnectionSettings } from '../../src/ib/types';
import { waitUntil } from '../support/wait';

const NUL = '\u0000';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

function assertReadable(text: string, what: string): void {
  assert.ok(text.length < 400, `${what}: bounded (${text.length} characters)`);
  assert.ok(!CONTROL.test(text), `${what}: no raw control characters in ${JSON.stringify(text)}`);
}

describe('bad input: settings', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a negative port', { port: -1 }, 'port'],
    ['a float port', { port: 4001.5 }, 'port'],
    ['a port as words', { port: 'seven' }, 'port'],
    ['a port as an array', { port: [4001] }, 'port'],
    ['a port as an object', { port: { value: 4001 } }, 'port'],
    ['a port as a boolean', { port: true }, 'port'],
    ['a huge port string', { port: '9'.repeat(10_000) }, 'port'],
    ['a float client id', { clientId: 1.5 }, 'clientId'],
    ['a NaN client id', { clientId: Number.NaN }, 'clientId'],
    ['a negative client id', { clientId: -7 }, 'clientId'],
    ['a client id in hex', { clientId: '0x10' }, 'clientId'],
    ['a client id with a NUL', { clientId: `1${NUL}` }, 'clientId'],
    ['an empty host', { host: '' }, 'host'],
    ['a host of 10,000 characters', { host: 'h'.repeat(10_000) }, 'host'],
    ['a host with a newline', { host: '127.0.0.1\nevil' }, 'host'],
    ['a host with a user', { host: 'user@127.0.0.1' }, 'host'],
    ['a host as a number', { host: 127001 }, 'host'],
    ['enabled as a string', { enabled: 'yes' }, 'enabled'],
    ['enabled as 1', { enabled: 1 }, 'enabled'],
    ['a timing as a float', { connectTimeoutMs: 1.5 }, 'connectTimeoutMs'],
    ['a timing of a century', { heartbeatTimeoutMs: 3_153_600_000_000 }, 'heartbeatTimeoutMs'],
  ];
  for (const [what, raw, setting] of cases) {
    const timing = setting.endsWith('Ms');
    it(`${what}: refused, naming ${setting}, ${timing ? 'its default used, host, port and client id applied' : 'no settings produced'}`, () => {
      const r = validateSettings(raw);
      if (timing) {
        assert.deepEqual(r.settings, { enabled: true, host: '127.0.0.1', port: 7497, clientId: 1 });
        assert.equal(r.problems[0]?.defaultUsed, 'its');
      } else assert.equal(r.settings, undefined);
      assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
      assert.equal(r.problems[0].setting, setting);
      assert.ok(r.problems[0].message.includes(setting), r.problems[0].message);
      assertReadable(r.problems[0].message, what);
    });
  }

  it('several bad settings at once: one problem each, none hides another', () => {
    const r = validateSettings({ enabled: 'x', host: '', port: -1, clientId: 0.5 });
    assert.equal(r.settings, undefined);
    assert.deepEqual(r.problems.map((p) => p.setting).sort(), ['clientId', 'enabled', 'host', 'port']);
  });

  it('unknown keys and prototype keys do not leak into the settings', () => {
    const raw = JSON.parse('{"port": 4002, "__proto__": {"polluted": true}, "constructor": 1, "password": "secret"}') as Record<string, unknown>;
    const r = validateSettings(raw);
    assert.ok(r.settings);
    assert.deepEqual(Object.keys(r.settings).sort(), ['clientId', 'enabled', 'host', 'port']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
    assert.ok(!JSON.stringify(r).includes('secret'), 'an unknown secret is not copied anywhere');
  });
});

describe('bad input: jax config files', () => {
  const files: Array<[string, string, RegExp]> = [
    ['empty text', '', /not valid JSON/],
    ['only whitespace', '  \n ', /not valid JSON/],
    ['a JSON string', '"ib"', /JSON object/],
    ['null', 'null', /JSON object/],
    ['truncated JSON', '{"ib": {"enabled": true,', /not valid JSON/],
    ['a trailing comma', '{"ib": {"enabled": true, "host": "127.0.0.1", "port": 7497, "client_id": 1,}}', /not valid JSON/],
    ['10,000 characters of junk', 'x'.repeat(10_000), /not valid JSON/],
    ['control characters where JSON fails', '{"ib": \u0000\n[error] forged line', /not valid JSON/],
    ['comments', '{"ib": {"enabled": true} // note\n}', /not valid JSON/],
    ['ib as an array', '{"ib": [true, "127.0.0.1", 7497, 1]}', /^ib must be an object/],
    ['ib as null', '{"ib": null}', /^ib must be an object/],
    ['a float client id', '{"ib": {"enabled": true, "host": "127.0.0.1", "port": 7497, "client_id": 1.5}}', /ib\.client_id/],
    ['a negative port', '{"ib": {"enabled": true, "host": "127.0.0.1", "port": -1, "client_id": 1}}', /ib\.port/],
    ['a port as a string', '{"ib": {"enabled": true, "host": "127.0.0.1", "port": "7497", "client_id": 1}}', /ib\.port/],
    ['a huge number', '{"ib": {"enabled": true, "host": "127.0.0.1", "port": 1e400, "client_id": 1}}', /ib\.port/],
    ['a NUL in the host', '{"ib": {"enabled": true, "host": "127.0.0.1\\u0000x", "port": 7497, "client_id": 1}}', /ib\.host/],
    ['enabled as a string', '{"ib": {"enabled": "false", "host": "127.0.0.1", "port": 7497, "client_id": 1}}', /ib\.enabled/],
  ];
  for (const [what, text, expected] of files) {
    it(`${what}: a problem naming the field, no block read`, () => {
      const r = parseJaxConfig(text);
      assert.equal(r.ib, undefined);
      assert.ok(r.problems.length >= 1);
      assert.match(r.problems.join('\n'), expected);
      for (const p of r.problems) assertReadable(p, what);
    });
  }

  it('a megabyte of JSON with a valid block is read, and extra fields are only warnings', () => {
    const big = { padding: 'x'.repeat(1_000_000), ib: { enabled: true, host: '127.0.0.1', port: 4002, client_id: 3, extra: [1, 2, 3] } };
    const r = parseJaxConfig(JSON.stringify(big));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.ib, { enabled: true, host: '127.0.0.1', port: 4002, client_id: 3 });
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /ib\.extra is not a known field/);
  });

  it('a prototype key inside ib is neither read nor pollutes', () => {
    const r = parseJaxConfig('{"ib": {"enabled": true, "host": "127.0.0.1", "port": 4002, "client_id": 3, "__proto__": {"port": 1}}}');
    assert.deepEqual(r.ib, { enabled: true, host: '127.0.0.1', port: 4002, client_id: 3 });
    assert.equal(({} as Record<string, unknown>).port, undefined);
  });

  // An unknown field's name used to be echoed whole (10,000 characters, newlines) into the warning.
  it('an extra field with a huge or control-character name is warned about briefly and readably', () => {
    const key = `x${'y'.repeat(10_000)}\nFAKE LOG LINE`;
    const r = parseJaxConfig(JSON.stringify({ ib: { enabled: true, host: '127.0.0.1', port: 4002, client_id: 3, [key]: 1 } }));
    assert.ok(r.ib);
    assert.equal(r.warnings.length, 1);
    assertReadable(r.warnings[0], 'the warning');
  });

  it('a file that cannot be read is never overwritten', () => {
    const s: ConnectionSettings = { enabled: true, host: '127.0.0.1', port: 4002, clientId: 3 };
    for (const text of ['{"ib": ', '[1, 2]', '"text"']) assert.throws(() => toJaxConfig(text, s), /left unchanged/);
  });

  // toJaxConfig used to write whatever it was given, e.g. a port of -1, which parseJaxConfig then refused.
  it('toJaxConfig refuses settings that parseJaxConfig would refuse, naming each', () => {
    const bad: ConnectionSettings = { enabled: true, host: '127.0.0.1', port: -1, clientId: 1.5 };
    assert.throws(() => toJaxConfig('{"ib": {"enabled": true}}', bad), /left unchanged: ib\.port .*; ib\.client_id /);
    assert.throws(() => toJaxConfig(undefined, { enabled: 'yes' as never, host: `a${NUL}b`, port: 4002, clientId: 1 }), /ib\.enabled.*ib\.host/);
  });

  it('whatever validated settings toJaxConfig writes, parseJaxConfig reads back unchanged', () => {
    for (const raw of [
      { port: '4001', clientId: 0 },
      { host: 'localhost', port: 65535, clientId: 2 ** 31 - 1, enabled: false },
    ]) {
      const v = validateSettings(raw);
      assert.ok(v.settings);
      const back = parseJaxConfig(toJaxConfig('{"other": {"keep": true}}', v.settings));
      assert.deepEqual(back.problems, []);
      assert.deepEqual(back.ib, { enabled: v.settings.enabled, host: v.settings.host, port: v.settings.port, client_id: v.settings.clientId });
    }
  });
});

describe('bad input: bar sizes and durations', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['7 mins', '1 D', /"7 mins" is not an IB bar size/],
    ['1 min', '0 D', /"0 D" is not an IB duration/],
    ['1 day', '999 Y', /"999 Y" is not an IB duration/],
    ['1 min', '-1 D', /"-1 D" is not an IB duration/],
    ['1 min', '1.5 D', /is not an IB duration/],
    ['1 min', 'NaN D', /is not an IB duration/],
    ['NaN mins', '1 D', /is not an IB bar size/],
    ['1e3 secs', '1 D', /is not an IB bar size/],
    ['', '', /is not an IB bar size/],
  ];
  for (const [bar, duration, expected] of cases) {
    it(`"${bar}" over "${duration}": refused in words`, () => {
      const problem = checkBarRequest(bar, duration);
      assert.ok(problem);
      assert.match(problem, expected);
    });
  }

  // The given bar size or duration used to be echoed whole (10,000 characters, NUL, newlines).
  it('a huge or control-character bar size or duration is named briefly and readably', () => {
    for (const [bar, duration] of [
      ['1'.repeat(10_000) + ' mins', '1 D'],
      [`1 min${NUL}\nFAKE`, '1 D'],
      ['1 min', `1 D\n${'x'.repeat(10_000)}`],
    ]) {
      const problem = checkBarRequest(bar, duration);
      assert.ok(problem);
      assertReadable(problem, 'the problem');
    }
  });
});

describe('bad input: a ConnectionManager handed impossible settings directly', function () {
  this.timeout(20_000);
  const openSockets = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
  const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  // validateSettings stops such values before they reach a manager; the manager still refuses them in words.
  const impossible: Array<[string, Partial<ConnectionSettings>]> = [
    ['port -1', { port: -1 }],
    ['port NaN', { port: Number.NaN }],
    ['port 70000', { port: 70000 }],
    ['an empty host', { host: '' }],
    ['a host with a NUL', { host: `127.0.0.1${NUL}` }],
  ];
  for (const [what, change] of impossible) {
    it(`${what}: connect rejects in words, status failed, nothing left running`, async () => {
      await new Promise((r) => setImmediate(r)); // mocha's own test timer is running by now
      const sockets = openSockets();
      const t = timers();
      const m = new ConnectionManager({ enabled: true, host: '127.0.0.1', port: 9, clientId: 1, connectTimeoutMs: 1000, ...change });
      try {
        let thrown: unknown;
        try {
          await m.connect();
        } catch (e) {
          thrown = e;
        }
        assert.ok(thrown instanceof IbError, `an IbError, got ${String(thrown)}`);
        assert.equal(m.status.phase, 'failed');
        assert.equal(thrown.info.category, 'connectivity');
        assert.ok(thrown.info.message.length > 10);
        assert.ok(thrown.info.action.length > 10);
      } finally {
        m.dispose();
      }
      await waitUntil('sockets and timers released', () => openSockets() <= sockets && timers() <= t, 3000).catch(() => undefined);
      assert.equal(openSockets(), sockets, 'no socket left');
      assert.ok(timers() <= t, `no timer left (${timers()} vs ${t}): ${process.getActiveResourcesInfo().join(',')}`);
    });
  }
});
