/** Folding smaller bars into bigger ones: open of the first, max high, min low, close of the last, summed volume and count, volume-weighted WAP. */
import type { SimBar } from './types';

export class BarBuilder {
  time = 0;
  open = 0;
  high = -Infinity;
  low = Infinity;
  close = 0;
  volume = 0;
  count = 0;
  private wapSum = 0;
  private priceSum = 0;
  private parts = 0;

  constructor(time: number) {
    this.time = time;
  }

  get empty(): boolean {
    return this.parts === 0;
  }

  add(open: number, high: number, low: number, close: number, volume: number, count: number, wap: number): void {
    if (this.parts === 0) this.open = open;
    if (high > this.high) this.high = high;
    if (low < this.low) this.low = low;
    this.close = close;
    this.volume += volume;
    this.count += count;
    this.wapSum += wap * volume;
    this.priceSum += wap;
    this.parts++;
  }

  addBar(bar: SimBar): void {
    this.add(bar.open, bar.high, bar.low, bar.close, bar.volume, bar.count, bar.wap);
  }

  build(roundWap: (x: number) => number): SimBar {
    const wap = this.volume > 0 ? this.wapSum / this.volume : this.priceSum / Math.max(this.parts, 1);
    return { time: this.time, open: this.open, high: this.high, low: this.low, close: this.close, volume: this.volume, wap: roundWap(wap), count: this.count };
  }
}
