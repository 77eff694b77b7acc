// One subscriber's dedupe set and resume point (the SSE id / webhook cursor).
//
// The core does not emit rows in ROWID order: a row waiting for its
// chat_message_join, or our own send waiting for its is_from_me flip, is held
// (src/imessage/watch/holds.ts) while later rows flow. So "drop ids <= the
// highest delivered" would lose the held row, and so would a resume point equal
// to the highest delivered id. Instead:
// - dedupe: a row passes unless it is <= `low` or already in `delivered`;
// - resume point `low`: every row <= it was delivered to this subscriber or
//   deliberately skipped, so replaying after it loses nothing (rows above it
//   that were delivered may come again: at-least-once, deduped by `key`).
//
// Why `low` can advance, without guessing from ROWID gaps (deleted rows leave
// holes): the core's persisted cursor `handled` (Gateway.handledThrough) says
// every row <= it has been emitted or skipped; it is saved in the same
// transaction as its batch and the batch's events are emitted right after, in
// ascending ROWID order. So while a live event `e` is being delivered, rows
// <= min(handled, e) are out, and rows of the same batch above `e` may not be
// yet: hence the cap. Rows the replay read from chat.db are delivered by the
// replay, except those it saw without a chat (Messages joins them a moment
// later); those block `low` until delivered live or passed by `handled`.
export class ResumeTracker {
  private low: number;
  private readonly delivered = new Set<number>();
  private readonly orphans = new Set<number>();
  private replayedThrough: number;

  constructor(start: number) {
    this.low = start;
    this.replayedThrough = start;
  }

  get resumePoint(): number {
    return this.low;
  }

  /** A new-row event for `rowid`: true to deliver it, false if it is a duplicate. */
  accept(rowid: number): boolean {
    if (rowid <= this.low || this.delivered.has(rowid)) return false;
    this.delivered.add(rowid);
    this.orphans.delete(rowid);
    return true;
  }

  /** The replay read `rowid` from chat.db; `hasChat` false means it cannot be delivered yet. */
  replayed(rowid: number, hasChat: boolean): void {
    if (!hasChat && !this.delivered.has(rowid) && rowid > this.low) this.orphans.add(rowid);
    this.replayedThrough = Math.max(this.replayedThrough, rowid);
  }

  /**
   * Move the resume point as far as is safe; returns it. `cap`: the id of the
   * live event being delivered; during the replay pass -Infinity (rows the
   * core handled above the replay's position may not have been replayed yet).
   */
  advance(handled: number, cap = Number.POSITIVE_INFINITY): number {
    for (const o of this.orphans) if (o <= handled) this.orphans.delete(o);
    let bound: number;
    if (this.orphans.size > 0) bound = Math.min(...this.orphans) - 1;
    else bound = Math.max(this.replayedThrough, Math.min(handled, cap));
    const was = this.low;
    if (bound > this.low) this.low = bound;
    while (this.delivered.has(this.low + 1)) this.low++;
    // Only when it moved: a long replay behind a held row must stay linear.
    if (this.low !== was) for (const id of this.delivered) if (id <= this.low) this.delivered.delete(id);
    return this.low;
  }
}
