/**
 * A message id the client library has no decoder for (a TWS newer than the
 * library can send one): @stoqey/ib skips that message whole, since its frame
 * says where it ends, and reports it as two decoding errors (505: "No parser
 * implementation found for token: ... (N)." and then "unprocessed data left
 * on queue" for the same message). The stream stays intact, so these two are
 * not a corrupt stream: they are logged, once per id, and nothing is reset.
 * Any other 505 still means the stream cannot be trusted.
 */
import type { Logger } from '../log';

const NO_PARSER = /^No parser implementation found for token: .*\((-?\d+)\)\.?$/;
const LEFT_OVER = /: unprocessed data left on queue/;

export class UnknownMessages {
  private readonly logged = new Set<number>();
  /** The library's second report of the message just skipped is due. */
  private leftOverDue = false;

  /** True when this error is the library skipping a message it has no decoder for (then it is handled here). */
  skipped(code: number, text: string, logger: Logger): boolean {
    if (code !== 505) return false;
    if (this.leftOverDue && LEFT_OVER.test(text)) {
      this.leftOverDue = false;
      return true;
    }
    const id = NO_PARSER.exec(text)?.[1];
    if (id === undefined) return false;
    this.leftOverDue = true;
    if (!this.logged.has(Number(id)) && this.logged.size < 64) {
      this.logged.add(Number(id));
      logger.warn(`IB Gateway/TWS sent message id ${id}, which this client cannot read: skipped (and any more of them); the connection goes on`);
    }
    return true;
  }
}
