// Every way opening chat.db can fail, as one typed error with a sentence the
// user can act on. The CLI prints `message` and `advice` and exits `exitCode`.
import { userInfo } from 'node:os';
import { basename, dirname } from 'node:path';

export type ChatDbErrorKind = 'missing' | 'not_chatdb' | 'corrupt' | 'permission' | 'locked';

const EXIT_CODES: Record<ChatDbErrorKind, number> = { missing: 3, not_chatdb: 4, corrupt: 5, permission: 6, locked: 7 };

export class ChatDbError extends Error {
  override readonly name = 'ChatDbError';
  readonly exitCode: number;
  constructor(readonly kind: ChatDbErrorKind, message: string, readonly advice: string, readonly path: string, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = EXIT_CODES[kind];
  }
}

/** The app macOS checks Full Disk Access against: the terminal when run from one, else the node binary. */
export function fullDiskAccessSubject(env: NodeJS.ProcessEnv = process.env, execPath = process.execPath): string {
  const bundle = env.__CFBundleIdentifier;
  const term = env.TERM_PROGRAM;
  const terminals: Record<string, string> = {
    Apple_Terminal: 'Terminal', 'iTerm.app': 'iTerm', vscode: 'Visual Studio Code', WarpTerminal: 'Warp', ghostty: 'Ghostty', WezTerm: 'WezTerm',
  };
  if (term) return `${terminals[term] ?? term} (the terminal app running this command)`;
  if (bundle) return `${bundle} (the app running this command)`;
  return execPath;
}

const FDA_WHERE = 'System Settings › Privacy & Security › Full Disk Access';

/** Full Disk Access is a macOS thing; elsewhere a denial is plain file modes. */
export function permissionError(path: string, cause?: unknown, platform: NodeJS.Platform = process.platform): ChatDbError {
  if (platform !== 'darwin') {
    let user = 'this user';
    try { user = `user ${userInfo().username}`; } catch { /* no passwd entry */ }
    return new ChatDbError('permission', `Cannot read ${path}: permission denied for ${user}.`,
      'Give this user read access to the file and its folder (`ls -l` shows owner and mode), or run the bridge as the user who owns it.', path, { cause });
  }
  const who = fullDiskAccessSubject();
  return new ChatDbError('permission',
    `Cannot read ${path}: macOS denies access until ${who} has Full Disk Access.`,
    `Grant Full Disk Access to ${who} in ${FDA_WHERE}, then run the command again.`, path, { cause });
}

/** A WAL database is read through its -shm file, which SQLite must be able to create beside it. */
export function readOnlyFolderError(path: string, cause?: unknown): ChatDbError {
  return new ChatDbError('permission',
    `Cannot read ${path}: it is in WAL mode and SQLite must create ${basename(path)}-shm beside it, but the folder ${dirname(path)} is read-only for this user.`,
    'Make the folder writable for this user, or copy chat.db together with its -wal file into a writable folder and point imessage.chat_db (or --db) at the copy.', path, { cause });
}

export function folderError(path: string): ChatDbError {
  return new ChatDbError('not_chatdb', `${path} is a folder, not Messages' chat.db file.`,
    'Point imessage.chat_db (or --db) at the chat.db file itself, e.g. ~/Library/Messages/chat.db.', path);
}

/** Map an open/query failure from SQLite or the file system to a ChatDbError. */
export function toChatDbError(path: string, err: unknown, platform: NodeJS.Platform = process.platform): ChatDbError {
  if (err instanceof ChatDbError) return err;
  const e = err as { code?: string; message?: string };
  const code = e?.code ?? '';
  const msg = (e?.message ?? String(err)).toLowerCase();
  const name = basename(path);
  if (code === 'ENOENT') {
    return new ChatDbError('missing', `No chat database at ${path}.`, 'Check imessage.chat_db in your config (or --db); Messages keeps it at ~/Library/Messages/chat.db.', path, { cause: err });
  }
  if (code === 'EISDIR') return folderError(path);
  if (code === 'SQLITE_READONLY_DIRECTORY') return readOnlyFolderError(path, err);
  if (code === 'EACCES' || code === 'EPERM' || msg.includes('authorization denied') || code === 'SQLITE_AUTH' || code === 'SQLITE_CANTOPEN' || msg.includes('unable to open database file')) {
    return permissionError(path, err, platform);
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_LOCKED') || msg.includes('database is locked')) {
    return new ChatDbError('locked', `${name} is locked by another process and stayed locked past the busy timeout.`, 'Try again in a moment; if it persists, quit whatever holds the database open for writing.', path, { cause: err });
  }
  if (code === 'SQLITE_NOTADB' || msg.includes('file is not a database')) {
    return new ChatDbError('not_chatdb', `${path} is not a SQLite database, so it cannot be Messages' chat.db.`, 'Point imessage.chat_db (or --db) at ~/Library/Messages/chat.db.', path, { cause: err });
  }
  if (code.startsWith('SQLITE_CORRUPT') || msg.includes('malformed') || code === 'SQLITE_IOERR_SHORT_READ') {
    return new ChatDbError('corrupt', `${path} is damaged (SQLite reports it as malformed).`, 'Messages may repair it on its next launch; otherwise restore it from a backup.', path, { cause: err });
  }
  return new ChatDbError('corrupt', `${path} could not be read: ${e?.message ?? String(err)}.`, 'Check that the file is a readable copy of Messages\' chat.db.', path, { cause: err });
}

export function missingColumn(path: string, table: string, column: string): ChatDbError {
  return new ChatDbError('not_chatdb', `${path} has a ${table} table without its ${column} column, so it is not a chat.db this bridge can read.`,
    'Point imessage.chat_db (or --db) at Messages\' own ~/Library/Messages/chat.db, not a hand-made or trimmed copy.', path);
}

export function notChatDb(path: string, missingTable: string): ChatDbError {
  return new ChatDbError('not_chatdb', `${path} is a SQLite database but not Messages' chat.db (it has no ${missingTable} table).`,
    'Point imessage.chat_db (or --db) at ~/Library/Messages/chat.db.', path);
}
