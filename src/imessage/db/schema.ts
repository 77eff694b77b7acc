// Schema detection: which columns each table really has, read once from
// pragma_table_info. Columns are never inferred from a macOS version number.
import type Database from 'better-sqlite3';
import { log } from '../../log.ts';

export type TableColumns = ReadonlySet<string>;

export interface Schema {
  message: TableColumns;
  chat: TableColumns;
  handle: TableColumns;
  attachment: TableColumns;
  chatMessageJoin: TableColumns;
  chatHandleJoin: TableColumns;
  messageAttachmentJoin: TableColumns;
}

export function tableColumns(db: Database.Database, table: string): TableColumns {
  const names = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
  return new Set(names);
}

export function readSchema(db: Database.Database): Schema {
  return {
    message: tableColumns(db, 'message'),
    chat: tableColumns(db, 'chat'),
    handle: tableColumns(db, 'handle'),
    attachment: tableColumns(db, 'attachment'),
    chatMessageJoin: tableColumns(db, 'chat_message_join'),
    chatHandleJoin: tableColumns(db, 'chat_handle_join'),
    messageAttachmentJoin: tableColumns(db, 'message_attachment_join'),
  };
}

/** A column spec: selected by name when present, else this SQL default. */
export interface ColumnSpec { name: string; fallback: string }

/** `alias.col` or `fallback AS col` for each spec, in order. */
export function selectList(alias: string, specs: readonly ColumnSpec[], present: TableColumns): string {
  return specs.map((c) => (present.has(c.name) ? `${alias}.${c.name}` : `${c.fallback} AS ${c.name}`)).join(', ');
}

const reported = new Set<string>();

/** Log once per database and table which optional columns it lacks, so support questions have the answer. */
export function reportMissing(path: string, table: string, specs: readonly ColumnSpec[], present: TableColumns): string[] {
  const missing = specs.filter((c) => !present.has(c.name)).map((c) => c.name);
  const key = `${path}\0${table}`;
  if (missing.length > 0 && !reported.has(key)) {
    reported.add(key);
    log().info({ db: path, table, missing }, 'chat.db schema differs from the newest known one; missing columns read as defaults');
  }
  return missing;
}
