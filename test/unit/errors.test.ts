import { strict as assert } from 'node:assert';
import { describeIbError, IbError, KNOWN_ERROR_CODES, LOCAL_CODES, requestErrorRole } from '../../src/ib/errors';

const REQUIRED = [
  100, 101, 162, 165, 200, 201, 202, 300, 309, 317, 321, 322, 326, 354, 366, 420, 502, 503, 504, 506, 507, 509, 1100, 1101, 1102, 1300, 2100, 2103, 2104, 2105,
  2106, 2107, 2108, 2110, 2119, 2157, 2158, 10089, 10090, 10167, 10168, 10182, 10186, 10197, 10225,
];
const CATEGORIES = ['connectivity', 'permission', 'contract', 'pacing', 'request', 'information'];

describe('describeIbError', () => {
  it('knows every code the UI relies on, each with a sentence and an action', () => {
    for (const code of REQUIRED) {
      assert.ok(KNOWN_ERROR_CODES.includes(code), `code ${code} is in the table`);
      const info = describeIbError(code);
      assert.equal(info.code, code);
      assert.ok(CATEGORIES.includes(info.category), `${code} has a known category`);
      assert.match(info.message, /^[A-Z].*\.$/, `${code} message is a sentence`);
      assert.match(info.action, /^[A-Z].*[.)]$/, `${code} action is a sentence`);
      assert.doesNotMatch(info.message, /undefined|NaN/);
    }
  });

  it("gives the extension's own refusals codes of their own, outside IB's, marked local", () => {
    for (const code of Object.values(LOCAL_CODES)) {
      assert.ok(!KNOWN_ERROR_CODES.includes(code), `${code} is not an IB code`);
      assert.ok(code >= 9000 && code < 10000, `${code} is in the local block`);
      const info = describeIbError(code, 'detail');
      assert.equal(info.source, 'local');
      assert.match(info.message, /^[A-Z].*\.$/);
      assert.match(info.action, /^[A-Z].*[.)]$/);
      assert.equal(info.raw, 'detail');
    }
    assert.equal(describeIbError(502).source, undefined, "IB's codes are IB's");
  });

  it('puts codes in the categories a person expects', () => {
    assert.equal(describeIbError(502).category, 'connectivity');
    assert.equal(describeIbError(1100).category, 'connectivity');
    assert.equal(describeIbError(326).category, 'connectivity');
    assert.equal(describeIbError(162).category, 'pacing');
    assert.equal(describeIbError(101).category, 'pacing');
    assert.equal(describeIbError(200).category, 'contract');
    assert.equal(describeIbError(354).category, 'permission');
    assert.equal(describeIbError(10167).category, 'permission');
    assert.equal(describeIbError(2104).category, 'information');
    assert.match(describeIbError(502).action, /Enable ActiveX and Socket Clients/);
  });

  it('keeps IB text and a valid request id, drops -1', () => {
    const withId = describeIbError(200, 'No security definition has been found for the request', 7);
    assert.equal(withId.raw, 'No security definition has been found for the request');
    assert.equal(withId.reqId, 7);
    const noId = describeIbError(2104, 'Market data farm connection is OK:usfarm', -1);
    assert.equal(noId.reqId, undefined);
    assert.equal(describeIbError(2104, '').raw, undefined);
  });

  it('has a sensible default for unknown codes', () => {
    const info = describeIbError(98765, 'something odd');
    assert.equal(info.category, 'request');
    assert.match(info.message, /98765/);
    assert.equal(info.raw, 'something odd');
    assert.equal(describeIbError(2199).category, 'information');
    assert.equal(describeIbError(599).category, 'connectivity');
  });
});

describe('IbError', () => {
  it('is an Error carrying the info, with IB text in the message', () => {
    const e = new IbError(describeIbError(326, 'Unable to connect as the client id is already in use.'));
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'IbError');
    assert.equal(e.code, 326);
    assert.equal(e.info.category, 'connectivity');
    assert.match(e.message, /already in use/);
    assert.match(e.message, /IB 326/);
  });

  it("never shows the extension's own codes as IB's", () => {
    const e = new IbError(describeIbError(LOCAL_CODES.requestFailed, 'socket hang up'));
    assert.match(e.message, /\(9007: socket hang up\)$/);
    assert.doesNotMatch(e.message, /IB 9007/);
  });
});

describe('requestErrorRole', () => {
  it('sorts an error by what it means for the request it names, the same for every service', () => {
    assert.equal(requestErrorRole(2104, -1), 'connection');
    assert.equal(requestErrorRole(1100, undefined), 'connection');
    assert.equal(requestErrorRole(300, 5), 'ignore');
    assert.equal(requestErrorRole(366, 5), 'ignore');
    assert.equal(requestErrorRole(2176, 5), 'notice');
    assert.equal(requestErrorRole(165, 5), 'notice', "the history service's query message: the request goes on");
    assert.equal(requestErrorRole(10090, 5), 'notice', 'part of the data not subscribed: the line streams the rest');
    assert.equal(requestErrorRole(162, 5), 'error');
    assert.equal(requestErrorRole(10167, 5), 'error');
    assert.equal(requestErrorRole(200, 0), 'error');
  });
});
