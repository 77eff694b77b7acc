// attributedBody for a whole page in one value. Handing each row's blob to JS
// costs a native Buffer per row (about as much as decoding it); instead the
// page query returns only each blob's byte length, and one aggregate returns
// the page's blobs concatenated in ROWID order, which is cut back into views.
// Both run in one read transaction (see ChatDb.fetchPage), so they see the same
// rows; a total that still disagrees falls back to fetching the blobs row by row.
import type Database from 'better-sqlite3';
import type { MessageRow } from './message.ts';

/** Row index of the blob length column added by `bodyLengthColumns`. */
export const BODY_LENGTH = 29;

/**
 * Select-list items replacing `m.attributedBody`: non-blob values (NULL, or the
 * odd TEXT a foreign tool wrote) still come through as themselves, and a blob
 * comes as its byte length at BODY_LENGTH.
 */
export const BODY_VALUE_SQL = "CASE WHEN typeof(m.attributedBody) = 'blob' THEN NULL ELSE m.attributedBody END AS attributedBody";
export const BODY_LENGTH_SQL = "CASE WHEN typeof(m.attributedBody) = 'blob' THEN octet_length(m.attributedBody) END AS body_length";

export class PageBodies {
  private readonly concatStmt: Database.Statement;
  private readonly oneStmt: Database.Statement;

  constructor(db: Database.Database) {
    // Blob → text → blob keeps the bytes only in a UTF-8 database. The aggregate's ORDER BY costs a
    // sorter that copies every blob (about half the query); a rowid range search already visits rows
    // in ROWID order, so the ORDER BY is dropped when the plan is that search (see rowidOrdered).
    const concat = (order: string): string => `SELECT CAST(string_agg(CASE WHEN typeof(attributedBody) = 'blob' THEN attributedBody END, ''${order}) AS BLOB)
      FROM message WHERE ROWID BETWEEN ? AND ?`;
    this.concatStmt = db.prepare(concat(rowidOrdered(db, concat('')) ? '' : ' ORDER BY ROWID')).pluck();
    this.oneStmt = db.prepare("SELECT attributedBody FROM message WHERE ROWID = ? AND typeof(attributedBody) = 'blob'").pluck();
  }

  /** Whether this database can use the concatenated form (always, for Messages' UTF-8 chat.db). */
  static usable(db: Database.Database, hasColumn: boolean): boolean {
    return hasColumn && db.pragma('encoding', { simple: true }) === 'UTF-8';
  }

  /** Put each row's blob (a view into one page buffer) at index 3; rows are every message with lo <= ROWID <= hi. */
  fill(rows: MessageRow[], lo: number, hi: number): void {
    let total = 0;
    for (const r of rows) total += r[BODY_LENGTH] ?? 0;
    if (total === 0) return;
    const all = this.concatStmt.get(lo, hi) as Buffer | null;
    if (!all || all.length !== total) return this.fillOneByOne(rows);
    const ascending = rows.length < 2 || rows[0]![0] < rows[rows.length - 1]![0];
    let at = 0;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[ascending ? k : rows.length - 1 - k]!;
      const len = r[BODY_LENGTH];
      if (len === null || len === undefined) continue;
      r[3] = all.subarray(at, at + len);
      at += len;
    }
  }

  private fillOneByOne(rows: MessageRow[]): void {
    for (const r of rows) if (r[BODY_LENGTH] != null) r[3] = (this.oneStmt.get(r[0]) as Buffer | undefined) ?? null;
  }
}

/**
 * Whether `sql` (one table, `ROWID BETWEEN ? AND ?`) runs as a plain rowid range search, whose
 * rows come in ascending ROWID order, so an aggregate over them sees that order without ORDER BY.
 */
export function rowidOrdered(db: Database.Database, sql: string): boolean {
  const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(0, 0) as { detail: string }[];
  return plan.length === 1 && /^SEARCH \w+( AS \w+)? USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)$/.test(plan[0]!.detail);
}
