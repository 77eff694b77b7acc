// Opening chat.db: read-only through a `mode=ro` URI (never `immutable=1`,
// which would miss rows that live only in chat.db-wal), a busy timeout, and a
// check that the file really is Messages' database. Every failure becomes a
// ChatDbError.
import Database from 'better-sqlite3';
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { notChatDb, toChatDbError, ChatDbError } from './errors.ts';

// better-sqlite3 ships SQLite with URI filenames off; this switch is read once,
// when its native addon first loads (on the first `new Database`). It only
// changes how names starting with "file:" are read.
process.env.SQLITE_USE_URI ??= '1';

const REQUIRED_TABLES = ['message', 'chat', 'handle', 'chat_message_join', 'attachment', 'message_attachment_join', 'chat_handle_join'];
const SQLITE_MAGIC = 'SQLite format 3\0';

/** The URI the database is opened with. */
export function readOnlyUri(path: string): string {
  return `${pathToFileURL(resolve(path)).href}?mode=ro`;
}

/** File-system checks first: they give precise errors (ENOENT, EACCES/EPERM under TCC, a text file). */
function checkFile(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw toChatDbError(path, e);
  }
  try {
    const header = Buffer.alloc(16);
    const n = readSync(fd, header, 0, 16, 0);
    if (n === 0) throw new ChatDbError('not_chatdb', `${path} is empty, so it cannot be Messages' chat.db.`, 'Point imessage.chat_db (or --db) at ~/Library/Messages/chat.db.', path);
    if (n < 16 || header.toString('latin1') !== SQLITE_MAGIC) throw toChatDbError(path, Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }));
  } catch (e) {
    throw toChatDbError(path, e);
  } finally {
    closeSync(fd);
  }
}

export function openChatDb(path: string, busyTimeoutMs: number): Database.Database {
  checkFile(path);
  let db: Database.Database;
  try {
    db = new Database(readOnlyUri(path), { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    // URI filenames off (another module loaded SQLite first): the plain path with the read-only flag is the same open.
    if (!code.startsWith('SQLITE_CANTOPEN')) throw toChatDbError(path, e);
    try {
      db = new Database(resolve(path), { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    } catch (e2) {
      throw toChatDbError(path, e2);
    }
  }
  try {
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    const missing = REQUIRED_TABLES.find((t) => !tables.has(t));
    if (missing) throw notChatDb(path, missing);
    // Touch the message table's pages: a damaged file fails here rather than mid-stream.
    db.prepare('SELECT ROWID FROM message ORDER BY ROWID DESC LIMIT 1').get();
    return db;
  } catch (e) {
    db.close();
    throw toChatDbError(path, e);
  }
}
