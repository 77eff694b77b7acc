// The files around the simulated chat.db: sim.json (so another process can
// attach with MessagesSimulator.open), and the two file-level events a watcher
// must survive: the WAL replaced at checkpoint, and the database replaced.
import type Database from 'better-sqlite3';
import { existsSync, linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createChatDb } from './chatDb.ts';
import type { Me } from './context.ts';
import { isMacosVersion, type MacosVersion } from './versions.ts';

export interface SimFile { version: MacosVersion; home: string; dbPath: string; me: Me }

export const SIM_FILE = 'sim.json';

export function writeSimFile(dir: string, f: SimFile): void {
  writeFileSync(join(dir, SIM_FILE), `${JSON.stringify(f, null, 2)}\n`);
}

export function readSimFile(dir: string): SimFile {
  const path = join(dir, SIM_FILE);
  if (!existsSync(path)) throw new Error(`${dir} is not a simulator folder (no ${SIM_FILE}); create one with MessagesSimulator.create({ dir })`);
  const f = JSON.parse(readFileSync(path, 'utf8')) as Partial<SimFile>;
  if (!isMacosVersion(f.version) || typeof f.home !== 'string' || typeof f.dbPath !== 'string' || !f.me) {
    throw new Error(`${path} is damaged: it needs version, home, dbPath and me`);
  }
  return f as SimFile;
}

const sidecars = (dbPath: string): string[] => [`${dbPath}-wal`, `${dbPath}-shm`];

/**
 * Hold each file's inode with a hard link until `release` runs, so the files
 * SQLite creates next are guaranteed new inodes (a filesystem may otherwise
 * hand the freed number straight back, hiding the replacement).
 */
function holdInodes(paths: string[], holdDir: string): () => void {
  const held: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const hold = join(holdDir, `.held-${process.pid}-${Date.now()}-${held.length}`);
    try { linkSync(p, hold); held.push(hold); } catch { /* no hard links on this filesystem: plain delete */ }
  }
  return () => { for (const h of held) rmSync(h, { force: true }); };
}

/** TRUNCATE checkpoint, close, delete -wal/-shm, reopen: the WAL and SHM come back as new files. */
export function replaceWal(db: Database.Database, dbPath: string, holdDir: string, reopen: () => Database.Database): Database.Database {
  db.pragma('wal_checkpoint(TRUNCATE)');
  // Held before close: the last connection's close deletes the WAL itself.
  const release = holdInodes(sidecars(dbPath), holdDir);
  db.close();
  for (const p of sidecars(dbPath)) rmSync(p, { force: true });
  const next = reopen();
  // A read makes SQLite create the new -wal and -shm right away.
  next.prepare('SELECT COUNT(*) FROM sqlite_master').get();
  release();
  return next;
}

/**
 * Replace chat.db outright, as a restore or resync does: a new file (new
 * inode) holding, when `keepChats`, the chats and the older half of the
 * messages, so MAX(ROWID) is lower than before.
 */
export function replaceDatabase(db: Database.Database, dbPath: string, version: MacosVersion, holdDir: string, keepChats: boolean): void {
  const oldMax = Number(db.prepare('SELECT COALESCE(MAX(ROWID), 0) FROM message').pluck().get());
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const tmp = `${dbPath}.restore-${process.pid}`;
  rmSync(tmp, { force: true });
  const fresh = createChatDb(tmp, version);
  try {
    if (keepChats) {
      const keep = Math.floor(oldMax / 2);
      fresh.prepare('ATTACH DATABASE ? AS old').run(dbPath);
      fresh.transaction(() => {
        for (const t of ['handle', 'chat', 'chat_handle_join']) fresh.exec(`INSERT INTO main.${t} SELECT * FROM old.${t}`);
        fresh.prepare('INSERT INTO main.message SELECT * FROM old.message WHERE ROWID <= ?').run(keep);
        fresh.prepare('INSERT INTO main.chat_message_join SELECT * FROM old.chat_message_join WHERE message_id <= ?').run(keep);
        fresh.prepare('INSERT INTO main.message_attachment_join SELECT * FROM old.message_attachment_join WHERE message_id <= ?').run(keep);
        fresh.exec('INSERT INTO main.attachment SELECT * FROM old.attachment WHERE ROWID IN (SELECT attachment_id FROM main.message_attachment_join)');
      })();
      fresh.exec('DETACH DATABASE old');
    }
  } finally {
    fresh.close();
  }
  // The old -wal/-shm belong to the old file; rename() swaps the database in atomically.
  const release = holdInodes(sidecars(dbPath), holdDir);
  for (const p of sidecars(dbPath)) rmSync(p, { force: true });
  renameSync(tmp, dbPath);
  release();
}
