// handle: one row per (address, service). Few rows, read on every message, so
// they live in a Map that reloads only when a ROWID newer than any seen shows up
// (handles are AUTOINCREMENT, so a new one always has a higher ROWID).
import type Database from 'better-sqlite3';

export class HandleTable {
  private readonly ids = new Map<number, string>();
  private maxRowid = -1;
  private readonly loadStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.loadStmt = db.prepare('SELECT ROWID, id FROM handle WHERE ROWID > ? ORDER BY ROWID').raw();
    this.reload();
  }

  private reload(): void {
    for (const row of this.loadStmt.iterate(this.maxRowid) as Iterable<[number, string]>) {
      this.ids.set(row[0], row[1]);
      if (row[0] > this.maxRowid) this.maxRowid = row[0];
    }
  }

  /** The handle's address (E.164 phone or email), or null when 0 or deleted. */
  id(rowid: number | null): string | null {
    if (rowid === null || rowid <= 0) return null;
    const hit = this.ids.get(rowid);
    if (hit !== undefined) return hit;
    if (rowid > this.maxRowid) {
      this.reload();
      return this.ids.get(rowid) ?? null;
    }
    return null;
  }
}
