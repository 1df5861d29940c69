// An SSE client whose socket stays full (a program that stopped reading and
// never closed the stream) is disconnected after a minute; one that is slow
// but reads on keeps its stream, with only the newest quote per symbol kept.
import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { install } from '@sinonjs/fake-timers';
import { SseClient } from '../../src/bridge/sse';

/** A response whose socket buffer is full until drain() is called. */
class FullSocket extends EventEmitter {
  writes: string[] = [];
  full = true;
  destroyed = false;
  writableEnded = false;
  writeHead(): this {
    return this;
  }
  write(text: string): boolean {
    this.writes.push(text);
    return !this.full;
  }
  end(): void {
    this.writableEnded = true;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
  drain(): void {
    this.full = false;
    this.emit('drain');
  }
}

describe('bridge SSE: a client that stops reading', () => {
  let clock: ReturnType<typeof install>;
  beforeEach(() => {
    clock = install({ toFake: ['setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => clock.uninstall());

  it('is disconnected once its socket has stayed full for a minute', () => {
    const res = new FullSocket();
    const sse = new SseClient(res as unknown as ServerResponse, 15_000, 60_000);
    sse.send('quote', { price: 1 }, 'AAPL');
    for (let i = 0; i < 100; i++) sse.send('quote', { price: 2 + i }, 'AAPL');
    clock.tick(45_000);
    assert.equal(res.destroyed, false, 'not before a minute');
    clock.tick(15_000);
    assert.equal(res.destroyed, true);
    assert.equal(sse.isClosed, true);
  });

  it('a slow reader that drains keeps its stream, and hears how many quotes it missed', () => {
    const res = new FullSocket();
    const sse = new SseClient(res as unknown as ServerResponse, 15_000, 60_000);
    sse.send('quote', { price: 1 }, 'AAPL');
    for (let i = 0; i < 5; i++) sse.send('quote', { price: 2 + i }, 'AAPL');
    clock.tick(45_000);
    res.drain();
    res.full = true;
    // full again at once: a new wait, counted from now
    sse.send('quote', { price: 10 }, 'AAPL');
    clock.tick(45_000);
    assert.equal(res.destroyed, false, 'it read 45 s ago');
    assert.ok(
      res.writes.some((w) => /event: dropped\ndata: \{"dropped":4/.test(w)),
      res.writes.join(''),
    );
    assert.ok(
      res.writes.some((w) => /"price":6/.test(w)),
      'the newest quote sent on drain',
    );
    clock.tick(15_000);
    assert.equal(res.destroyed, true, 'then a minute full');
  });

  it('a stream with no quotes (a closed market) whose keep-alive does not fit is disconnected a minute later too', () => {
    const res = new FullSocket();
    new SseClient(res as unknown as ServerResponse, 15_000, 60_000);
    clock.tick(15_000);
    assert.ok(res.writes.some((w) => w.startsWith(': keep-alive')));
    clock.tick(60_000);
    assert.equal(res.destroyed, true);
  });
});
