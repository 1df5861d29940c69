/**
 * A minimal listener list: listeners are called in order, a throwing listener
 * is logged and does not stop the others.
 */
import type { Logger } from './log';
import type { Disposable } from './types';

export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  on(listener: (value: T) => void): Disposable {
    // Wrapped so that the same function registered twice is two registrations.
    const entry = (value: T): void => listener(value);
    this.listeners.add(entry);
    return { dispose: () => void this.listeners.delete(entry) };
  }

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (e) {
        this.logger.error(`${this.name} listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }

  clear(): void {
    this.listeners.clear();
  }
}
