import { strict as assert } from 'node:assert';
import { IBApi } from '@stoqey/ib';
import { guardDecoder } from '../../src/ib/transport/decoder-guard';

describe('decoder guard', () => {
  it('fits @stoqey/ib as installed: a throw while decoding becomes one fault report and an empty queue', () => {
    const api = new IBApi({ host: '127.0.0.1', port: 1 });
    const controller = (api as unknown as { controller: { processIngressQueue(): void; decoder: { dataQueue: unknown[] } } }).controller;
    const faults: string[] = [];
    assert.equal(
      guardDecoder(api, (m) => faults.push(m)),
      true,
    );
    controller.decoder.dataQueue = [undefined, '79', '1', 'not a count', undefined];
    // the library's own processing: SYMBOL_SAMPLES with a text where the count goes
    assert.doesNotThrow(() => controller.processIngressQueue());
    assert.equal(faults.length, 1);
    assert.deepEqual(controller.decoder.dataQueue, []);
  });

  it('says so when the library does not have the shape it expects', () => {
    assert.equal(
      guardDecoder({} as IBApi, () => undefined),
      false,
    );
  });
});
