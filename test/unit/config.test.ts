import { strict as assert } from 'node:assert';
import { checkHost, parseJaxConfig, toJaxConfig, validateSettings, isLoopbackHost } from '../../src/ib/config';

describe('validateSettings', () => {
  it('accepts good settings and fills defaults for missing keys', () => {
    const r = validateSettings({ enabled: true, host: '127.0.0.1', port: 4002, clientId: 7 });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.settings, { enabled: true, host: '127.0.0.1', port: 4002, clientId: 7 });
    const d = validateSettings({});
    assert.deepEqual(d.settings, { enabled: true, host: '127.0.0.1', port: 7497, clientId: 1 });
  });

  it('a bad timing never holds host, port and client id back: it is said and its default used', () => {
    const r = validateSettings({
      host: '127.0.0.1',
      port: 4002,
      clientId: 7,
      reconnectInitialDelayMs: 60_000,
      reconnectMaxDelayMs: 30_000,
      heartbeatIntervalMs: 'x',
    });
    assert.deepEqual(r.settings, { enabled: true, host: '127.0.0.1', port: 4002, clientId: 7 });
    assert.deepEqual(
      r.problems.map((p) => [p.setting, p.defaultUsed]),
      [
        ['heartbeatIntervalMs', 'its'],
        ['reconnectMaxDelayMs', 'both'],
      ],
    );
    // a bad port still holds the block back
    assert.equal(validateSettings({ port: 0, reconnectInitialDelayMs: 500 }).settings, undefined);
  });

  it('a host with a port in it is refused, naming the port setting; IPv6 is taken, with or without brackets', () => {
    assert.match(
      checkHost('localhost:4002', 'jax.ib.host').problem ?? '',
      /^jax\.ib\.host must be a host name or IP address without a port: the port goes in jax\.ib\.port \(got "localhost:4002"\)$/,
    );
    assert.match(checkHost('127.0.0.1:7497', 'ib.host').problem ?? '', /the port goes in ib\.port/);
    assert.deepEqual(checkHost('[::1]', 'jax.ib.host'), { host: '::1' });
    assert.deepEqual(checkHost('::1', 'jax.ib.host'), { host: '::1' });
    assert.ok(isLoopbackHost('::1'));
  });

  it('names the setting in each problem and shows what was given', () => {
    const r = validateSettings({ enabled: 'yes', host: '', port: -1, clientId: 1.5 });
    assert.equal(r.settings, undefined);
    const by = Object.fromEntries(r.problems.map((p) => [p.setting, p.message]));
    assert.equal(by.port, 'jax.ib.port must be a whole number from 1 to 65535 (got -1)', 'a number as written, not in quotes');
    assert.match(by.enabled, /^jax\.ib\.enabled must be true or false \(got "yes"\)/);
    assert.match(by.host, /^jax\.ib\.host must not be empty/);
    assert.match(by.clientId, /^jax\.ib\.clientId must be a whole number from 0 to 2147483647.*\(got 1.5\)/);
    assert.match(validateSettings({ port: '99999' }).problems[0].message, /\(got "99999"\)$/, 'a string in quotes');
  });

  it('refuses absurd and malicious values', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ port: 0 }, 'port'],
      [{ port: 65536 }, 'port'],
      [{ port: '80a' }, 'port'],
      [{ port: Number.NaN }, 'port'],
      [{ port: Infinity }, 'port'],
      [{ clientId: -1 }, 'clientId'],
      [{ clientId: 2 ** 31 }, 'clientId'],
      [{ clientId: '1e3' }, 'clientId'],
      [{ host: 'a b' }, 'host'],
      [{ host: 'local\u0000host' }, 'host'],
      [{ host: 'x'.repeat(254) }, 'host'],
      [{ host: 'http://127.0.0.1' }, 'host'],
      [{ host: 42 }, 'host'],
      [{ host: 'localhost:4002' }, 'host'],
      [{ host: '[127.0.0.1]' }, 'host'],
      [{ heartbeatIntervalMs: -5 }, 'heartbeatIntervalMs'],
      [{ autoReconnect: 'no' }, 'autoReconnect'],
      [{ reconnectInitialDelayMs: 5000, reconnectMaxDelayMs: 2000 }, 'reconnectMaxDelayMs'],
      [{ reconnectInitialDelayMs: 50 }, 'reconnectInitialDelayMs'],
      [{ reconnectMaxDelayMs: 600 }, 'reconnectMaxDelayMs'],
    ];
    for (const [raw, setting] of cases) {
      const r = validateSettings(raw);
      // a timing or switch is refused with its default used; the connection block still applies
      const timing = !['port', 'clientId', 'host'].includes(setting);
      if (timing) assert.deepEqual(r.settings, { enabled: true, host: '127.0.0.1', port: 7497, clientId: 1 }, JSON.stringify(raw));
      else assert.equal(r.settings, undefined, JSON.stringify(raw));
      assert.deepEqual(
        r.problems.map((p) => p.setting),
        [setting],
        JSON.stringify(raw),
      );
      assert.ok(r.problems[0].message.length < 250, 'a huge value is not echoed whole');
      assert.ok(!r.problems[0].message.includes(String.fromCharCode(0)), 'no NUL echoed');
    }
  });

  it('accepts digit strings and the integer limits', () => {
    const r = validateSettings({ port: '4001', clientId: 2 ** 31 - 1 });
    assert.equal(r.settings?.port, 4001);
    assert.equal(r.settings?.clientId, 2147483647);
    assert.equal(validateSettings({ clientId: 0, port: 65535 }).settings?.port, 65535);
  });

  it('warns about a non-loopback host but accepts it', () => {
    const r = validateSettings({ host: '192.168.1.20' });
    assert.equal(r.settings?.host, '192.168.1.20');
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /unencrypted/);
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) assert.ok(isLoopbackHost(h), h);
    for (const h of ['10.0.0.1', 'example.com', '128.0.0.1']) assert.ok(!isLoopbackHost(h), h);
  });

  it('keeps the timing extras', () => {
    const r = validateSettings({ reconnectInitialDelayMs: 100, reconnectMaxDelayMs: 1000, heartbeatIntervalMs: 100, simulated: true });
    assert.equal(r.settings?.reconnectInitialDelayMs, 100);
    assert.equal(r.settings?.reconnectMaxDelayMs, 1000);
    assert.equal(r.settings?.heartbeatIntervalMs, 100);
    assert.equal(r.settings?.simulated, true);
  });
});

describe('parseJaxConfig', () => {
  it('reads the ib block, ignoring other top-level keys', () => {
    const r = parseJaxConfig('{"db": {"url": "x"}, "ib": {"enabled": true, "host": "127.0.0.1", "port": 7497, "client_id": 1}}');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.ib, { enabled: true, host: '127.0.0.1', port: 7497, client_id: 1 });
  });

  it('reports invalid JSON, a missing block and wrong types, naming the field', () => {
    assert.match(parseJaxConfig('{"ib": ').problems[0], /not valid JSON/);
    assert.match(parseJaxConfig('[]').problems[0], /JSON object/);
    assert.match(parseJaxConfig('{"other": 1}').problems[0], /no "ib" block/);
    assert.match(parseJaxConfig('{"ib": 5}').problems[0], /^ib must be an object/);
    const r = parseJaxConfig('{"ib": {"enabled": "true", "host": "127.0.0.1", "port": "7497", "client_id": -3}}');
    assert.equal(r.ib, undefined);
    assert.equal(r.problems.length, 3);
    assert.match(r.problems.join('\n'), /ib\.enabled/);
    assert.match(r.problems.join('\n'), /ib\.port/);
    assert.match(r.problems.join('\n'), /ib\.client_id/);
    const missing = parseJaxConfig('{"ib": {"enabled": true}}');
    assert.deepEqual(missing.problems, ['ib.host is missing', 'ib.port is missing', 'ib.client_id is missing']);
  });

  it('names extra fields inside ib as warnings', () => {
    const r = parseJaxConfig('{"ib": {"enabled": false, "host": "localhost", "port": 4002, "client_id": 3, "password": "x"}}');
    assert.deepEqual(r.problems, []);
    assert.equal(r.ib?.enabled, false);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /^ib\.password is not a known field/);
  });
  it("warns of a port or client id written as Go's int refuses it (7497.0, 1e0), naming how to write it", () => {
    const r = parseJaxConfig('{"ib": {"enabled": true, "host": "127.0.0.1", "port": 7497.0, "client_id": 1e0}}');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.ib, { enabled: true, host: '127.0.0.1', port: 7497, client_id: 1 });
    assert.equal(r.warnings.length, 2);
    assert.match(r.warnings[0], /^ib\.port is written 7497\.0: read as 7497 here, but jax's Go services .* refuse it; write 7497$/);
    assert.match(r.warnings[1], /^ib\.client_id is written 1e0: .*; write 1$/);
    // the last of repeated keys counts, as JSON.parse takes it
    assert.deepEqual(parseJaxConfig('{"ib": {"enabled": true, "host": "127.0.0.1", "port": 7.497e3, "port": 7497, "client_id": 2}}').warnings, []);
  });
});

describe('toJaxConfig', () => {
  const s = { enabled: true, host: '127.0.0.1', port: 4002, clientId: 9 };

  it('writes 7497.0 again as 7497, which Go reads as an int', () => {
    const text = '{"ib": {"enabled": true, "host": "127.0.0.1", "port": 4002.0, "client_id": 9}}';
    assert.equal(toJaxConfig(text, s), '{"ib": {"enabled": true, "host": "127.0.0.1", "port": 4002, "client_id": 9}}');
  });

  it('writes a new file', () => {
    const text = toJaxConfig(undefined, s);
    assert.equal(text, '{\n  "ib": {\n    "enabled": true,\n    "host": "127.0.0.1",\n    "port": 4002,\n    "client_id": 9\n  }\n}\n');
    assert.deepEqual(parseJaxConfig(text).ib, { enabled: true, host: '127.0.0.1', port: 4002, client_id: 9 });
  });

  it('merges into an existing file, keeping other keys and their order', () => {
    const existing = JSON.stringify({ name: 'ingest', ib: { enabled: false, host: 'h', port: 1, client_id: 2, note: 'keep' }, db: { pool: 4 } });
    const out = JSON.parse(toJaxConfig(existing, s)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['name', 'ib', 'db']);
    assert.deepEqual(out.ib, { enabled: true, host: '127.0.0.1', port: 4002, client_id: 9, note: 'keep' });
    assert.deepEqual(out.db, { pool: 4 });
  });

  it('changes only the four values: line ends, indentation, one-line arrays, key order and big numbers stay byte for byte', () => {
    const existing = [
      '{',
      '\t"2": "a key that looks like a number",',
      '\t"name": "ingest",',
      '\t"symbols": ["AAPL", "MSFT"],',
      '\t"order_id_floor": 9007199254740993,',
      '\t"ib": {"enabled": false, "host": "localhost", "port": 7497, "client_id": 9, "note": "keep"},',
      '\t"db": {',
      '\t\t"pool": 4',
      '\t}',
      '}',
      '',
    ].join('\r\n');
    const out = toJaxConfig(existing, s);
    const expected = existing
      .replace('"enabled": false', '"enabled": true')
      .replace('"host": "localhost"', '"host": "127.0.0.1"')
      .replace('"port": 7497', '"port": 4002');
    assert.equal(out, expected);
    assert.deepEqual(parseJaxConfig(out).ib, { enabled: true, host: '127.0.0.1', port: 4002, client_id: 9 });
    // the same values again: the very same text (nothing to write)
    assert.equal(toJaxConfig(out, s), out);
  });

  it('adds an ib block the file lacks, in its own indentation and line ends', () => {
    const out = toJaxConfig('{\r\n    "name": "ingest"\r\n}\r\n', s);
    assert.match(out, /^\{\r\n {4}"name": "ingest",\r\n {4}"ib": \{\r\n {8}"enabled": true,/);
    assert.deepEqual(parseJaxConfig(out).ib, { enabled: true, host: '127.0.0.1', port: 4002, client_id: 9 });
  });

  it('refuses to overwrite a file it cannot read', () => {
    assert.throws(() => toJaxConfig('{oops', s), /not valid JSON/);
    assert.throws(() => toJaxConfig('[1]', s), /not a JSON object/);
  });
});
