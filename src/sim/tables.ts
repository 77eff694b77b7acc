// Writes rows through the columns this database really has. A field the
// version's schema lacks is dropped, as that version of Messages would never
// have written it; statements are cached per column set.
import type Database from 'better-sqlite3';

export type Row = Record<string, unknown>;

export class TableWriter {
  readonly columns: ReadonlySet<string>;
  private readonly inserts = new Map<string, Database.Statement>();
  private readonly updates = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database, readonly table: string) {
    this.columns = new Set(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]);
  }

  has(column: string): boolean {
    return this.columns.has(column);
  }

  private present(row: Row): string[] {
    return Object.keys(row).filter((k) => row[k] !== undefined && this.columns.has(k));
  }

  /** INSERT and return the new ROWID. */
  insert(row: Row): number {
    const keys = this.present(row);
    const sig = keys.join(',');
    let st = this.inserts.get(sig);
    if (!st) {
      st = this.db.prepare(`INSERT INTO ${this.table} (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`);
      this.inserts.set(sig, st);
    }
    return Number(st.run(pick(row, keys)).lastInsertRowid);
  }

  /** UPDATE one row by ROWID; returns whether it existed. */
  update(rowid: number, row: Row): boolean {
    const keys = this.present(row);
    if (keys.length === 0) return this.db.prepare(`SELECT 1 FROM ${this.table} WHERE ROWID = ?`).get(rowid) !== undefined;
    const sig = keys.join(',');
    let st = this.updates.get(sig);
    if (!st) {
      st = this.db.prepare(`UPDATE ${this.table} SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE ROWID = @__rowid`);
      this.updates.set(sig, st);
    }
    return st.run({ ...pick(row, keys), __rowid: rowid }).changes > 0;
  }
}

function pick(row: Row, keys: string[]): Row {
  const out: Row = {};
  for (const k of keys) {
    const v = row[k];
    out[k] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }
  return out;
}
