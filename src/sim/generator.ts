// Seeded generator of large, realistic chat.db files: N messages over M chats
// with every kind mixed in. Built for speed: one writer, prepared statements,
// big transactions, journal off during the load, indexes and triggers created
// after it, typedstream bodies encoded once per pooled text and reused. 1M
// messages take ~30 s on the 2-core CI machine of 2026-12-04 (~70 s on the
// slower one before it), nearly all of it in SQLite: ~19 s of inserts, ~12 s
// building the real schema's indexes (17 on message, each a scan of the 1 GB
// table). Indexes made before the load were slower; SQLite's multi-threaded
// sorter (PRAGMA threads) did not speed up the index builds.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { encodeAttributedBody } from '../imessage/typedstream/index.ts';
import { APPLE_EPOCH_MS } from './appleTime.ts';
import { registerAppleFunctions, schemaParts } from './chatDb.ts';
import { writeSimFile } from './files.ts';
import { buildWorld } from './generatorWorld.ts';
import { MessageRowBuilder, type Kind } from './generatorRows.ts';
import { Random } from './random.ts';
import { textPool } from './textPool.ts';
import { traitsOf, type MacosVersion } from './versions.ts';

export interface GenerateOptions {
  dir: string;
  messages: number;
  chats: number;
  seed: number | string;
  version?: MacosVersion;
  /** Write attachment files under the fake home (default: only for up to 50,000 messages). */
  attachmentFiles?: boolean;
  /** Newest message date (default 2025-01-01, fixed so output depends only on the seed). */
  endDate?: Date;
  onProgress?: (done: number) => void;
}

export interface GenerateResult {
  dir: string; dbPath: string; home: string; version: MacosVersion;
  messages: number; chats: number; handles: number; attachments: number;
  counts: Record<Kind, number>;
  seconds: number;
}

const BATCH = 50_000;
const YEARS_MS = 3 * 365 * 86_400_000;

export function generate(o: GenerateOptions): GenerateResult {
  const started = performance.now();
  if (!Number.isInteger(o.messages) || o.messages < 0) throw new RangeError(`messages must be a non-negative integer, got ${o.messages}`);
  if (!Number.isInteger(o.chats) || o.chats < 1) throw new RangeError(`chats must be a positive integer, got ${o.chats}`);
  const version = o.version ?? 'sequoia';
  const traits = traitsOf(version);
  const dir = resolve(o.dir);
  const home = join(dir, 'home');
  const dbPath = join(home, 'Library', 'Messages', 'chat.db');
  mkdirSync(dirname(dbPath), { recursive: true });
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) rmSync(f, { force: true });

  const r = new Random(o.seed);
  const me = { handle: '+15555550100', login: 'E:me@icloud.com', accountGuid: r.uuid() };
  const db = new Database(dbPath);
  registerAppleFunctions(db);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  db.pragma('temp_store = MEMORY');
  db.pragma('locking_mode = EXCLUSIVE');
  const schema = schemaParts(version);
  for (const sql of schema.tables) db.exec(sql);

  const world = db.transaction(() => buildWorld(db, r, o.chats, traits, me))();
  const texts = textPool(r, 3000);
  const bodies = traits.writesAttributedBody ? texts.map((t) => encodeAttributedBody(t, { runs: [{ start: 0, length: t.length, part: 0 }] })) : [];
  const builder = new MessageRowBuilder(db, r, traits, me, texts, bodies, {
    home, attachmentFiles: o.attachmentFiles ?? o.messages <= 50_000,
    end: (o.endDate ?? new Date('2025-01-01T00:00:00Z')).getTime() - APPLE_EPOCH_MS, spanMs: YEARS_MS, total: o.messages,
  });

  for (let done = 0; done < o.messages;) {
    const n = Math.min(BATCH, o.messages - done);
    db.transaction(() => { for (let i = 0; i < n; i++) builder.add(world.chats, done + i); })();
    done += n;
    o.onProgress?.(done);
  }

  db.transaction(() => {
    for (const c of world.chats) if (c.isGroup) db.prepare('UPDATE chat SET display_name = ? WHERE ROWID = ?').run(c.displayName ?? '', c.rowid);
  })();
  for (const sql of schema.deferred) db.exec(sql);
  db.pragma('locking_mode = NORMAL');
  db.pragma('journal_mode = WAL');
  db.close();
  writeSimFile(dir, { version, home, dbPath, me });
  return {
    dir, dbPath, home, version, messages: o.messages, chats: world.chats.length, handles: world.handleCount,
    attachments: builder.attachments, counts: builder.counts, seconds: (performance.now() - started) / 1000,
  };
}

