import type { IMessage } from '../model.ts';
import type { ChangeKind } from './changes.ts';

export type WatchItem =
  /** A row ready to relay: it has its chat, and it is not a pending flip. */
  | { type: 'new'; message: IMessage }
  /** A row without its chat join (first sight, or its is_from_me flipped): ghost rows are found here. */
  | { type: 'orphan'; message: IMessage }
  /** We stopped waiting for the chat join of this row; it is skipped. */
  | { type: 'orphan_expired'; message: IMessage }
  /** An existing row changed in place. */
  | { type: 'change'; message: IMessage; change: ChangeKind };

export interface WatchBatch {
  items: WatchItem[];
  /** Every row up to this ROWID is handled: persist it with the items, atomically. */
  cursor: number;
  identity: string;
}

export interface StoredCursor { rowid: number; identity: string; updatedAt: number }

export interface CursorStore {
  load(consumer: string): StoredCursor | null;
  save(consumer: string, rowid: number, identity: string): void;
}

/** A cursor kept in memory only (the CLI `watch`, benches). */
export class MemoryCursorStore implements CursorStore {
  private readonly map = new Map<string, StoredCursor>();
  load(consumer: string): StoredCursor | null { return this.map.get(consumer) ?? null; }
  save(consumer: string, rowid: number, identity: string): void { this.map.set(consumer, { rowid, identity, updatedAt: Date.now() }); }
}
