// Opening chat.db: read-only through a `mode=ro` URI (never `immutable=1`,
// which would miss rows that live only in chat.db-wal), a busy timeout, and a
// check that the file really is Messages' database, down to the columns every
// read relies on. Every failure becomes a ChatDbError. The file itself is
// never opened with plain fs: closing such a descriptor would drop the fcntl
// locks SQLite holds on it in this process (see handle.ts); stat and access
// give the precise errors instead, and SQLite itself rejects a non-database.
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { folderError, missingColumn, notChatDb, readOnlyFolderError, toChatDbError, ChatDbError } from './errors.ts';

// better-sqlite3 ships SQLite with URI filenames off; this switch is read once,
// when its native addon first loads (on the first `new Database`). It only
// changes how names starting with "file:" are read.
process.env.SQLITE_USE_URI ??= '1';

const REQUIRED_TABLES = ['message', 'chat', 'handle', 'chat_message_join', 'attachment', 'message_attachment_join', 'chat_handle_join'];
/** Columns every read keys on; without them rows would be read as "" and the watcher would fail every step. */
const REQUIRED_COLUMNS: Record<string, string[]> = {
  message: ['guid'], chat: ['guid'], chat_message_join: ['chat_id', 'message_id'],
  chat_handle_join: ['chat_id', 'handle_id'], message_attachment_join: ['message_id', 'attachment_id'],
};

/** The URI the database is opened with. */
export function readOnlyUri(path: string): string {
  return `${pathToFileURL(resolve(path)).href}?mode=ro`;
}

/** File-system checks first, by stat and access only: they give precise errors (ENOENT, a folder, EACCES, an empty file). */
function checkFile(path: string): void {
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw folderError(path);
    accessSync(path, constants.R_OK);
    if (st.size === 0) throw new ChatDbError('not_chatdb', `${path} is empty, so it cannot be Messages' chat.db.`, 'Point imessage.chat_db (or --db) at ~/Library/Messages/chat.db.', path);
  } catch (e) {
    throw toChatDbError(path, e);
  }
}

/** SQLite says only "unable to open" when a WAL database's -shm cannot be created in a read-only folder. */
function explainOpenFailure(path: string, err: unknown): ChatDbError {
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_CANTOPEN') && !existsSync(`${path}-shm`) && existsSync(`${path}-wal`)) {
    try { accessSync(dirname(path), constants.W_OK); } catch { return readOnlyFolderError(path, err); }
  }
  return toChatDbError(path, err);
}

/**
 * SQLite's page cache for a connection that reads the tables front to back once (`messages`, its read
 * threads, the search backfill): a sequential read never returns to a page, so the default 16 MB would
 * only fill with pages already used, per connection. 1 MB keeps the join and attachment index pages.
 */
const SCAN_CACHE_KIB = 1024;

export function openChatDb(path: string, busyTimeoutMs: number, scan = false): Database.Database {
  checkFile(path);
  let db: Database.Database;
  try {
    db = new Database(readOnlyUri(path), { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    // URI filenames off (another module loaded SQLite first): the plain path with the read-only flag is the same open.
    if (!code.startsWith('SQLITE_CANTOPEN')) throw explainOpenFailure(path, e);
    try {
      db = new Database(resolve(path), { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    } catch (e2) {
      throw explainOpenFailure(path, e2);
    }
  }
  try {
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    const missing = REQUIRED_TABLES.find((t) => !tables.has(t));
    if (missing) throw notChatDb(path, missing);
    for (const [table, columns] of Object.entries(REQUIRED_COLUMNS)) {
      const present = new Set(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]);
      const lacking = columns.find((c) => !present.has(c));
      if (lacking) throw missingColumn(path, table, lacking);
    }
    // Touch the message table's pages: a damaged file fails here rather than mid-stream.
    db.prepare('SELECT ROWID FROM message ORDER BY ROWID DESC LIMIT 1').get();
    if (scan) db.pragma(`cache_size = -${SCAN_CACHE_KIB}`);
    return db;
  } catch (e) {
    db.close();
    throw explainOpenFailure(path, e);
  }
}
