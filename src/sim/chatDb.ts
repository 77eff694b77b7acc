// Opening and creating the simulated chat.db: the version's real schema, WAL
// mode, and no-op stand-ins for the SQL functions Apple's triggers call.
import Database from 'better-sqlite3';
import { vendoredSchemaSql } from './schemaBuild.ts';
import type { MacosVersion } from './versions.ts';

/** Functions the real schema's triggers call that exist only inside Messages. */
export const APPLE_TRIGGER_FUNCTIONS = ['after_delete_message_plugin', 'delete_attachment_path', 'before_delete_attachment_path'] as const;

/** Without these a DELETE on message or attachment fails on Linux with "no such function". */
export function registerAppleFunctions(db: Database.Database): void {
  for (const name of APPLE_TRIGGER_FUNCTIONS) db.function(name, { varargs: true, deterministic: false }, () => null);
}

export function openWriter(path: string): Database.Database {
  const db = new Database(path, { fileMustExist: true, timeout: 10_000 });
  registerAppleFunctions(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** A new empty chat.db at `path` with `version`'s tables, indexes and triggers. */
export function createChatDb(path: string, version: MacosVersion): Database.Database {
  const db = new Database(path, { timeout: 10_000 });
  registerAppleFunctions(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(vendoredSchemaSql(version));
  return db;
}

/** The version's DDL split into tables and what can wait until after a bulk load (indexes, triggers). */
export function schemaParts(version: MacosVersion): { tables: string[]; deferred: string[] } {
  const mem = new Database(':memory:');
  try {
    mem.exec(vendoredSchemaSql(version));
    const rows = mem.prepare("SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid").all() as { type: string; sql: string }[];
    return { tables: rows.filter((r) => r.type === 'table').map((r) => r.sql), deferred: rows.filter((r) => r.type !== 'table').map((r) => r.sql) };
  } finally {
    mem.close();
  }
}
