// Rows the watcher sees but may not relay yet. Each holds the cursor (so a
// crash re-reads it), for a bounded time:
// - `orphan`: committed before its chat_message_join row, so we don't know its
//   chat yet. Later rows of other chats still flow; the orphan is relayed as
//   soon as its join lands.
// - `flip`: an `is_from_me=0` row that looks like our own pending send. Messages
//   may insert it as inbound and flip it a moment later (imsg #80); relaying it
//   meanwhile would echo our own message back as if someone else wrote it.
import type { IMessage } from '../model.ts';

export type HoldReason = 'orphan' | 'flip';

export interface Held { rowid: number; reason: HoldReason; since: number; fromMe: boolean }

export class Holds {
  private readonly held = new Map<number, Held>();

  /** Start (or keep) holding a row; returns true when this is a new hold or a new reason. */
  hold(m: IMessage, reason: HoldReason, now: number): boolean {
    const h = this.held.get(m.rowid);
    if (h && h.reason === reason && h.fromMe === m.fromMe) return false;
    this.held.set(m.rowid, { rowid: m.rowid, reason, since: h?.reason === reason ? h.since : now, fromMe: m.fromMe });
    return true;
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

  rowids(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /** The cursor may not pass the oldest held row. */
  minRowid(): number | null {
    let min: number | null = null;
    for (const r of this.held.keys()) if (min === null || r < min) min = r;
    return min;
  }

  clear(): void {
    this.held.clear();
  }

  get size(): number {
    return this.held.size;
  }
}
