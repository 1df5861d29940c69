import { strict as assert } from 'node:assert';
import { browserRefusal, hostName } from '../../src/bridge/browser-guard';

describe('bridge: the browser guard', () => {
  it('reads the host name of a Host header', () => {
    assert.equal(hostName('127.0.0.1:8092'), '127.0.0.1');
    assert.equal(hostName('[::1]:8092'), '[::1]');
    assert.equal(hostName('LocalHost'), 'localhost');
    assert.equal(hostName('host.docker.internal:8092'), 'host.docker.internal');
  });

  it('refuses what a browser marks as a page of another site, whatever the host', () => {
    assert.equal(browserRefusal({ origin: 'http://evil.example', host: '127.0.0.1:8092' }, false)?.status, 403);
    assert.equal(browserRefusal({ 'sec-fetch-site': 'cross-site', host: '127.0.0.1' }, true)?.status, 403);
    assert.equal(browserRefusal({ 'sec-fetch-site': 'none', host: '127.0.0.1' }, false), undefined);
  });

  it('without a token, only loopback and Docker host names; with one, any; no Host header (HTTP/1.0) passes', () => {
    for (const host of ['127.0.0.1:1', '127.1.2.3', 'localhost:1', 'api.localhost', '[::1]:1', 'host.docker.internal:1', 'gateway.docker.internal'])
      assert.equal(browserRefusal({ host }, false), undefined, host);
    for (const host of ['attacker.example:8092', '192.168.1.5:8092', '0.0.0.0:8092', 'localhost.attacker.example'])
      assert.equal(browserRefusal({ host }, false)?.status, 421, host);
    assert.equal(browserRefusal({ host: 'trading-box.lan:8092' }, true), undefined);
    assert.equal(browserRefusal({}, false), undefined);
  });
});
