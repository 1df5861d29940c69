import { strict as assert } from 'node:assert';
import { farmsConnectedIn, readFarmNotice, readIbLinkNotice } from '../../src/ib/connection-farms';
import { inferTradingMode } from '../../src/ib/connection-mode';

describe('farm notices', () => {
  it('reads the farm name after the colon and its health', () => {
    assert.deepEqual(readFarmNotice(2104, 'Market data farm connection is OK:usfarm'), {
      farm: 'usfarm',
      health: 'ok',
      carriesData: true,
      carriesQuotes: true,
    });
    assert.deepEqual(readFarmNotice(2103, 'Market data farm connection is broken:usfarm.nj'), {
      farm: 'usfarm.nj',
      health: 'broken',
      carriesData: true,
      carriesQuotes: true,
    });
    assert.deepEqual(readFarmNotice(2106, 'HMDS data farm connection is OK:ushmds'), { farm: 'ushmds', health: 'ok', carriesData: true, carriesQuotes: false });
    assert.deepEqual(readFarmNotice(2105, 'HMDS data farm connection is broken:euhmds'), {
      farm: 'euhmds',
      health: 'broken',
      carriesData: true,
      carriesQuotes: false,
    });
    assert.deepEqual(readFarmNotice(2107, 'HMDS data farm connection is inactive but should be available upon demand.:cashhmds'), {
      farm: 'cashhmds',
      health: 'inactive',
      carriesData: true,
      carriesQuotes: false,
    });
    assert.deepEqual(readFarmNotice(2108, 'Market data farm connection is inactive but should be available upon demand.:cashfarm'), {
      farm: 'cashfarm',
      health: 'inactive',
      carriesData: true,
      carriesQuotes: true,
    });
    assert.deepEqual(readFarmNotice(2158, 'Sec-def data farm connection is OK:secdefil'), {
      farm: 'secdefil',
      health: 'ok',
      carriesData: false,
      carriesQuotes: false,
    });
    assert.deepEqual(readFarmNotice(2157, 'Sec-def data farm connection is broken:secdefil'), {
      farm: 'secdefil',
      health: 'broken',
      carriesData: false,
      carriesQuotes: false,
    });
  });

  it('ignores other codes and nameless messages', () => {
    assert.equal(readFarmNotice(2110, 'Connectivity between TWS and server is broken:x'), undefined);
    assert.equal(readFarmNotice(2104, 'Market data farm connection is OK'), undefined);
    assert.equal(readFarmNotice(2104, 'Market data farm connection is OK: '), undefined);
  });

  it('reads IB link notices', () => {
    assert.deepEqual(readIbLinkNotice(1100), { ibLink: 'lost', dataLost: true });
    assert.deepEqual(readIbLinkNotice(1101), { ibLink: 'ok', dataLost: true });
    assert.deepEqual(readIbLinkNotice(1102), { ibLink: 'ok', dataLost: false });
    assert.equal(readIbLinkNotice(2110)?.ibLink, 'lost');
    assert.equal(readIbLinkNotice(2104), undefined);
  });

  it('reads the farms a 1101/1102 names as connected, in the words TWS writes them', () => {
    // as recorded from TWS (pacmio Parse_Errors.cs; IB's forum logs quoted in ib_insync)
    assert.deepEqual(
      farmsConnectedIn(
        'Connectivity between IB and Trader Workstation has been restored - data maintained. The following farms are connected: usfarm; secdefnj. The following farms are not connected: ushmds.',
      ),
      ['usfarm', 'secdefnj'],
    );
    assert.deepEqual(
      farmsConnectedIn(
        'Connectivity between IB and Trader Workstation has been restored - data maintained. The following farms are connected: usfarm.nj; hfarm; cashfarm; ushmds; secdefhk. The following farms are not connected: usfuture.',
      ),
      ['usfarm.nj', 'hfarm', 'cashfarm', 'ushmds', 'secdefhk'],
    );
    assert.deepEqual(farmsConnectedIn('Connectivity between IB and TWS has been restored - data lost. All data farms are connected: usfarm.nj; ushmds.'), [
      'usfarm.nj',
      'ushmds',
    ]);
    assert.deepEqual(farmsConnectedIn('Connectivity between IB and Trader Workstation has been restored - data maintained.'), []);
  });
});

describe('inferTradingMode', () => {
  it('trusts the account prefix first', () => {
    assert.equal(inferTradingMode(['DU1234567'], 7496), 'paper');
    assert.equal(inferTradingMode(['DF100', 'DU200'], 4001), 'paper');
    assert.equal(inferTradingMode(['U1234567'], 7497), 'live');
    assert.equal(inferTradingMode(['DU1', 'U2'], 4002), 'live');
  });

  it('falls back to the conventional ports', () => {
    assert.equal(inferTradingMode(undefined, 7497), 'paper');
    assert.equal(inferTradingMode([], 4002), 'paper');
    assert.equal(inferTradingMode([''], 7496), 'live');
    assert.equal(inferTradingMode(undefined, 4001), 'live');
    assert.equal(inferTradingMode(undefined, 5555), 'unknown');
  });
});
