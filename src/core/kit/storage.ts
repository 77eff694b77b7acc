// A connector's own database handle. Connectors keep small tables of their own
// (Matrix: its inbound queue, transactions, reactions, state) in the bridge
// database, so one WAL and one backup hold everything. This wrapper is the
// whole of their access: `prepare`, `exec` and `transaction`, and every
// statement must name only tables that start with the connector's prefix.
// Checking the SQL text once per statement is cheap and keeps the rule where
// it can't be forgotten; the core's tables stay behind the kit's views.
import type { Database, Statement } from 'better-sqlite3';

export interface ConnectorStorage {
  prepare(sql: string): Statement<unknown[]>;
  exec(sql: string): void;
  transaction: Database['transaction'];
}

export class ForeignTableError extends Error {
  override readonly name = 'ForeignTableError';
  constructor(readonly owner: string, readonly tables: string[], readonly sql: string) {
    super(`${owner} may only use its own tables, not ${tables.join(', ')}; the core's tables are reached through the connector kit's views.`);
  }
}

/** Table names a statement reads or writes (FROM, INTO, UPDATE, JOIN, TABLE, INDEX … ON). */
export function tablesIn(sql: string): string[] {
  const text = sql.replace(/--.*$/gm, '').replace(/'(?:[^']|'')*'/g, "''");
  const re = /(?<!\bDO\s+)\b(?:FROM|INTO|UPDATE|JOIN|TABLE(?:\s+IF\s+(?:NOT\s+)?EXISTS)?|ON)\s+([A-Za-z_][\w]*)/gi;
  const skip = new Set(['conflict', 'select', 'set', 'delete', 'insert', 'update', 'values']);
  return [...new Set([...text.matchAll(re)].map((m) => m[1]!).filter((t) => !skip.has(t.toLowerCase())))];
}

/** `db` as seen by `owner`: only tables named `<prefix>…` for one of `prefixes`. */
export function scopedStorage(db: Database, owner: string, prefixes: readonly string[]): ConnectorStorage {
  const check = (sql: string): void => {
    const foreign = tablesIn(sql).filter((t) => !prefixes.some((p) => t.toLowerCase().startsWith(p.toLowerCase())));
    if (foreign.length > 0) throw new ForeignTableError(owner, foreign, sql);
  };
  return {
    prepare: (sql) => { check(sql); return db.prepare(sql); },
    exec: (sql) => { check(sql); db.exec(sql); },
    transaction: (fn) => db.transaction(fn),
  };
}
