// Rows whose next change carries no date, so a date-bounded rescan can't find
// it: a delivery error on one of our sends (`error` has no date column), or an
// inbound-looking row that resembled our send flipping to is_from_me=1 after
// we gave up waiting. They are re-read by ROWID on every rescan until settled
// or until they leave the rescan window. Bounded: the oldest are dropped.
import type { IMessage } from '../model.ts';

const CAPACITY = 2_000;

/** A send of ours still waiting for its delivered flag or an error. */
export const awaitsOutcome = (m: IMessage): boolean => m.fromMe && m.error === 0 && !m.isDelivered && m.chatGuid !== null;

export class RecentRows {
  private rows = new Map<number, number>();

  /** Re-read this row until `expiresAt`. */
  add(rowid: number, expiresAt: number): void {
    if (this.rows.has(rowid)) return;
    this.rows.set(rowid, expiresAt);
    if (this.rows.size > CAPACITY) {
      const oldest = this.rows.keys().next().value;
      if (oldest !== undefined) this.rows.delete(oldest);
    }
  }

  /** ROWIDs still worth re-reading (expired ones are dropped). */
  due(now: number): number[] {
    for (const [r, exp] of this.rows) if (exp < now) this.rows.delete(r);
    return [...this.rows.keys()];
  }

  drop(rowid: number): void {
    this.rows.delete(rowid);
  }

  snapshot(): Map<number, number> {
    return new Map(this.rows);
  }

  restore(s: Map<number, number>): void {
    this.rows = new Map(s);
  }
}
