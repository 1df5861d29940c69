import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { SseClient } from '../../src/bridge/sse';

/** A response whose socket is full until drain() is called: write() returns false, as node's does. */
class SlowResponse extends EventEmitter {
  written: string[] = [];
  full = false;
  writableEnded = false;
  writeHead() {
    return this;
  }
  write(chunk: string): boolean {
    this.written.push(chunk);
    return !this.full;
  }
  end() {
    this.writableEnded = true;
  }
  drain() {
    this.full = false;
    this.emit('drain');
  }
  events(): Array<{ event: string; data: unknown }> {
    return this.written
      .filter((w) => w.startsWith('event: '))
      .map((w) => {
        const [e, d] = w.split('\n');
        return { event: e.slice(7), data: JSON.parse(d.slice(6)) as unknown };
      });
  }
}

describe('bridge SSE client: a slow reader keeps only the latest quote per symbol', () => {
  it('writes at once while the socket keeps up', () => {
    const res = new SlowResponse();
    const sse = new SseClient(res as unknown as ServerResponse, 60_000);
    sse.send('quote', { symbol: 'AAPL', price: 1 }, 'AAPL');
    sse.send('quote', { symbol: 'AAPL', price: 2 }, 'AAPL');
    assert.deepEqual(
      res.events().map((e) => (e.data as { price: number }).price),
      [1, 2],
    );
    sse.close();
  });

  it('while behind, holds one quote per symbol (bounded) and says how many it dropped when the socket drains', () => {
    const res = new SlowResponse();
    const sse = new SseClient(res as unknown as ServerResponse, 60_000);
    res.full = true;
    sse.send('quote', { symbol: 'AAPL', price: 0 }, 'AAPL'); // written, and the socket is now full
    for (let i = 1; i <= 10_000; i++) {
      sse.send('quote', { symbol: 'AAPL', price: i }, 'AAPL');
      sse.send('quote', { symbol: 'MSFT', price: -i }, 'MSFT');
    }
    sse.send('error', { symbol: 'X', detail: 'No security definition.' });
    assert.equal(res.events().length, 1, 'nothing more written while behind');
    res.drain();
    const after = res.events().slice(1);
    assert.deepEqual(after[0], {
      event: 'dropped',
      data: { dropped: 19_998, detail: 'This client read too slowly: 19998 older quotes were replaced by newer ones.' },
    });
    assert.deepEqual(
      after.slice(1).map((e) => e.data),
      [
        { symbol: 'AAPL', price: 10_000 },
        { symbol: 'MSFT', price: -10_000 },
        { symbol: 'X', detail: 'No security definition.' },
      ],
    );
    assert.equal(sse.droppedCount, 19_998);
    sse.close();
    assert.equal(res.writableEnded, true);
  });

  it('stops writing after close', () => {
    const res = new SlowResponse();
    const sse = new SseClient(res as unknown as ServerResponse, 60_000);
    res.emit('close');
    sse.send('quote', { price: 1 }, 'A');
    assert.equal(res.events().length, 0);
  });
});
