// Per-consumer ROWID cursors in the bridge database, with the identity of the
// chat.db file they belong to (see imessage/watch/identity.ts).
import type { BridgeDb } from '../db/bridgeDb.ts';
import type { CursorStore, StoredCursor } from '../../imessage/watch/types.ts';

export class DbCursorStore implements CursorStore {
  constructor(private readonly db: BridgeDb) {}

  load(consumer: string): StoredCursor | null {
    const r = this.db.prepare('SELECT rowid AS r, db_identity AS i, updated_at AS u FROM cursor WHERE consumer = ?').get(consumer) as { r: number; i: string; u: number } | undefined;
    return r ? { rowid: r.r, identity: r.i, updatedAt: r.u } : null;
  }

  save(consumer: string, rowid: number, identity: string): void {
    this.db.prepare(`INSERT INTO cursor (consumer, rowid, db_identity, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (consumer) DO UPDATE SET rowid = excluded.rowid, db_identity = excluded.db_identity, updated_at = excluded.updated_at`)
      .run(consumer, rowid, identity, Date.now());
  }
}
