import * as assert from 'node:assert/strict';
import * as ib from '@stoqey/ib';
import { EventName, SecType } from '../../src/ib/ib-lib';

describe('@stoqey/ib loaded on first use', () => {
  it('mirrors every EventName member exactly (each value is its own name)', () => {
    const names = Object.keys(ib.EventName);
    assert.ok(names.length > 50);
    for (const name of names) assert.equal((EventName as Record<string, string>)[name], (ib.EventName as Record<string, string>)[name], name);
  });

  it('mirrors every SecType member exactly', () => {
    for (const name of Object.keys(ib.SecType)) assert.equal((SecType as Record<string, string>)[name], (ib.SecType as Record<string, string>)[name], name);
  });
});
