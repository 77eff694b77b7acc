// Rows the watcher sees but may not relay yet. Each holds the cursor (so a
// crash re-reads it), for a bounded time:
// - `orphan`: committed before its chat_message_join row, so we don't know its
//   chat yet. Later rows of other chats still flow; the orphan is relayed as
//   soon as its join lands.
// - `flip`: an `is_from_me=0` row that looks like our own pending send. Messages
//   may insert it as inbound and flip it a moment later (imsg #80); relaying it
//   meanwhile would echo our own message back as if someone else wrote it.
// - `behind`: a later row of a chat with a `flip` hold; it waits so that the
//   chat's rows still go out in ROWID order.
import type { IMessage } from '../model.ts';

export type HoldReason = 'orphan' | 'flip' | 'behind';

export interface Held { rowid: number; reason: HoldReason; since: number; fromMe: boolean; chat: string | null }

export class Holds {
  private held = new Map<number, Held>();

  /** Start (or keep) holding a row; returns true when this is a new hold or a new reason. */
  hold(m: IMessage, reason: HoldReason, now: number): boolean {
    const h = this.held.get(m.rowid);
    const same = h !== undefined && h.reason === reason && h.fromMe === m.fromMe;
    // Held objects are replaced, never mutated: snapshots share them.
    if (same && h.chat === m.chatGuid) return false;
    this.held.set(m.rowid, { rowid: m.rowid, reason, since: h?.reason === reason ? h.since : now, fromMe: m.fromMe, chat: m.chatGuid });
    return !same;
  }

  get(rowid: number): Held | undefined {
    return this.held.get(rowid);
  }

  release(rowid: number): void {
    this.held.delete(rowid);
  }

  has(rowid: number): boolean {
    return this.held.has(rowid);
  }

  /** Is an earlier row of this chat waiting for its flip? */
  blocksChat(chat: string, rowid: number): boolean {
    for (const h of this.held.values()) if (h.reason === 'flip' && h.chat === chat && h.rowid < rowid) return true;
    return false;
  }

  rowids(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** The cursor may not pass the oldest held row. */
  minRowid(): number | null {
    let min: number | null = null;
    for (const r of this.held.keys()) if (min === null || r < min) min = r;
    return min;
  }

  /** A copy to go back to when a batch fails. */
  snapshot(): Map<number, Held> {
    return new Map(this.held);
  }

  restore(s: Map<number, Held>): void {
    this.held = new Map(s);
  }

  clear(): void {
    this.held.clear();
  }

  get size(): number {
    return this.held.size;
  }
}
