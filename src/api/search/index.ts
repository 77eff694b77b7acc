// The full-text index over chat.db messages, in the bridge database (FTS5).
// rowid = chat.db ROWID; writes are idempotent (delete + insert), so the
// backfill and the live feed may overlap freely.
import type { ConnectorStorage } from '../../core/kit/storage.ts';
import type { IMessage } from '../../imessage/model.ts';
import { unmark } from './emoji.ts';
import { withChat, type ParsedQuery } from './query.ts';
import { indexRow, type IndexChunk } from './rows.ts';

export interface SearchHit {
  rowid: number;
  guid: string;
  chatGuid: string;
  sender: string;
  date: number | null;
  /** HTML-escaped text around the match, matches wrapped in <mark>. */
  snippet: string;
}

/** `before` pages to older hits (the default, newest first), `after` to newer ones; hits are newest first either way. */
export interface SearchFilter { chat?: string; from?: number; to?: number; before?: number; after?: number; limit: number }

// Control characters cannot occur in the escaped text, so they mark the
// highlight boundaries until the text is HTML-escaped.
const OPEN = '\u0002';
const CLOSE = '\u0003';
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const toHtml = (s: string): string => escapeHtml(s).split(OPEN).join('<mark>').split(CLOSE).join('</mark>');

const BACKFILL_KEY = 'backfill_through';

interface HitRow { rowid: number; guid: string; chat_guid: string; sender: string; date: number | null; snip: string }

export class SearchIndex {
  private readonly del;
  private readonly ins;
  private readonly getState;
  private readonly setState;
  private readonly older;
  private readonly newer;
  private readonly inRange;
  /**
   * ROWIDs the live feed indexed while a backfill runs. The backfill read
   * them earlier (on a read process), so its copy may be older than the live
   * one (an edit, an unsend): it leaves them alone. null when no backfill runs.
   */
  private liveDuringBackfill: Set<number> | null = null;

  constructor(private readonly db: ConnectorStorage) {
    this.del = db.prepare('DELETE FROM search_fts WHERE rowid = ?');
    this.ins = db.prepare('INSERT INTO search_fts (rowid, text, chat_key, chat_guid, sender, date, guid) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.getState = db.prepare('SELECT value FROM api_state WHERE key = ?').pluck();
    this.setState = db.prepare('INSERT INTO api_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    // Prepared once: FTS5 statements are costly to prepare (~10% of a search).
    const select = (where: string, order: string) => db.prepare(`SELECT rowid, guid, chat_guid, sender, date,
        snippet(search_fts, 0, '${OPEN}', '${CLOSE}', '…', 16) AS snip
      FROM search_fts WHERE search_fts MATCH ?
        AND ${where} AND (? IS NULL OR date >= ?) AND (? IS NULL OR date <= ?)
      ORDER BY rowid ${order} LIMIT ?`);
    this.older = select('rowid < ?', 'DESC');
    this.newer = select('rowid > ?', 'ASC');
    // FTS5 answers a rowid range on the table itself with a full scan; its
    // docsize shadow table (one row per indexed message) is a plain rowid table.
    this.inRange = db.prepare('SELECT id FROM search_fts_docsize WHERE id > ? AND id <= ?').pluck();
  }

  /** Index (or re-index, or drop) messages; one transaction. */
  apply(messages: IMessage[]): void {
    this.db.transaction(() => {
      for (const m of messages) {
        this.liveDuringBackfill?.add(m.rowid);
        this.del.run(m.rowid);
        const r = indexRow(m);
        if (r) this.ins.run(...r);
      }
    })();
  }

  /** Between these calls, rows the live feed indexes are kept from the backfill's (older) copies. */
  backfillStarted(): void {
    this.liveDuringBackfill = new Set();
    // FTS5 merges its segments as it goes (automerge 4): while a lifetime of
    // rows streams in, merging less often and writing larger leaf pages
    // halves the writing. Both are FTS5 settings stored with the index.
    this.db.exec("INSERT INTO search_fts (search_fts, rank) VALUES ('pgsz', 16000); INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 16)");
  }

  backfillEnded(): void {
    this.liveDuringBackfill = null;
    // Back to the default, so live writes keep the segment count (and search time) low.
    this.db.exec("INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 4)");
    // The pages the writing cached are not the ones searches read: give them back.
    this.db.exec('PRAGMA shrink_memory');
  }

  /**
   * A backfill chunk, in one transaction, and the mark moved to its end. Most
   * of its rows are new to the index, so only those already there are deleted
   * first (FTS5 deletes cost as much as inserts): one rowid range read finds them.
   */
  writeChunk(identity: string, c: IndexChunk): void {
    this.db.transaction(() => {
      const present = new Set(this.inRange.all(c.after, c.through) as number[]);
      const live = this.liveDuringBackfill;
      for (const rowid of c.drops) if (present.has(rowid) && !live?.has(rowid)) this.del.run(rowid);
      for (const r of c.rows) {
        if (live?.has(r[0])) continue;
        if (present.has(r[0])) this.del.run(r[0]);
        this.ins.run(...r);
      }
      this.markBackfilled(identity, c.through);
    })();
  }

  remove(rowid: number): void {
    this.del.run(rowid);
  }

  /**
   * How far the backfill got, for the given chat.db identity. Only the
   * backfill moves it: live indexing is an idempotent upsert and needs no mark,
   * and if it moved this mark a restart mid-backfill would skip the rows
   * between the backfill's position and the newest live row forever. (The
   * older shared key `indexed_through` had that bug, so it is ignored: a
   * bridge upgraded from it rebuilds the index once.)
   */
  backfillThrough(identity: string): number {
    if (this.getState.get('db_identity') !== identity) return 0;
    return Number(this.getState.get(BACKFILL_KEY) ?? 0);
  }

  markBackfilled(identity: string, rowid: number): void {
    this.db.transaction(() => {
      if (this.getState.get('db_identity') !== identity) {
        // A different chat.db (restore, other Mac): start over.
        this.db.exec('DELETE FROM search_fts');
        this.setState.run('db_identity', identity);
        this.setState.run(BACKFILL_KEY, '0');
      }
      const cur = Number(this.getState.get(BACKFILL_KEY) ?? 0);
      if (rowid > cur) this.setState.run(BACKFILL_KEY, String(rowid));
    })();
  }

  /** Forget everything (the chat.db was replaced). */
  reset(identity: string): void {
    this.db.transaction(() => {
      this.db.exec('DELETE FROM search_fts');
      this.setState.run('db_identity', identity);
      this.setState.run(BACKFILL_KEY, '0');
    })();
  }

  count(): number {
    // Not count(*) on search_fts: FTS5 answers that with a full scan.
    return this.db.prepare('SELECT count(*) FROM search_fts_docsize').pluck().get() as number;
  }

  search(q: ParsedQuery, f: SearchFilter): SearchHit[] {
    const forward = f.after !== undefined;
    const stmt = forward ? this.newer : this.older;
    const rows = stmt.all(withChat(q.match, f.chat), forward ? f.after : f.before ?? Number.MAX_SAFE_INTEGER, f.from ?? null, f.from ?? null, f.to ?? null, f.to ?? null, f.limit) as HitRow[];
    if (forward) rows.reverse();
    return rows.map((r) => ({ rowid: r.rowid, guid: r.guid, chatGuid: r.chat_guid, sender: r.sender, date: r.date, snippet: toHtml(unmark(r.snip)) }));
  }
}
