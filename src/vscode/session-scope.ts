import type { ConnectionPhase, ConnectionStatus, Disposable } from '../ib/types';

/** What a scope needs from a connection (ConnectionManager has it). */
export interface StatusSource {
  readonly status: ConnectionStatus;
  onStatus(listener: (s: ConnectionStatus) => void): Disposable;
}

const ENDED: readonly ConnectionPhase[] = ['disabled', 'disconnected', 'failed'];

/**
 * Runs `start` once the connection is ready and `stop` once it has ended
 * (disconnected on purpose, failed or disabled). A reconnect in between keeps
 * what was started: the domain services re-send their subscriptions.
 */
export class SessionScope implements Disposable {
  private active = false;
  private readonly sub: Disposable;

  constructor(
    private readonly source: StatusSource,
    private readonly start: () => void,
    private readonly stop: () => void,
  ) {
    this.sub = source.onStatus((s) => this.apply(s.phase));
    this.apply(source.status.phase);
  }

  get isActive(): boolean {
    return this.active;
  }

  private apply(phase: ConnectionPhase): void {
    if (phase === 'ready' && !this.active) {
      this.active = true;
      this.start();
    } else if (ENDED.includes(phase) && this.active) {
      this.active = false;
      this.stop();
    }
  }

  dispose(): void {
    this.sub.dispose();
    if (this.active) {
      this.active = false;
      this.stop();
    }
  }
}
