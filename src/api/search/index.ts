// The full-text index over chat.db messages, in the bridge database (FTS5).
// rowid = chat.db ROWID; writes are idempotent (delete + insert), so the
// backfill and the live feed may overlap freely.
import type { BridgeDb } from '../../core/db/bridgeDb.ts';
import type { IMessage } from '../../imessage/model.ts';
import { splitEmojiForIndex, unmark } from './emoji.ts';
import { chatKey, withChat, type ParsedQuery } from './query.ts';

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

const indexable = (m: IMessage): boolean =>
  !m.unsent && m.text.trim() !== '' && (m.kind === 'text' || m.kind === 'url_preview');

const BACKFILL_KEY = 'backfill_through';

interface HitRow { rowid: number; guid: string; chat_guid: string; sender: string; date: number | null; snip: string }

export class SearchIndex {
  private readonly del;
  private readonly ins;
  private readonly getState;
  private readonly setState;
  private readonly older;
  private readonly newer;

  constructor(private readonly db: BridgeDb) {
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
  }

  /** Index (or re-index, or drop) messages; one transaction. */
  apply(messages: IMessage[]): void {
    this.db.transaction(() => {
      for (const m of messages) {
        this.del.run(m.rowid);
        if (indexable(m) && m.chatGuid) this.ins.run(m.rowid, splitEmojiForIndex(m.text), chatKey(m.chatGuid), m.chatGuid, m.sender, m.date, m.guid);
      }
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
    return this.db.prepare('SELECT count(*) FROM search_fts').pluck().get() as number;
  }

  search(q: ParsedQuery, f: SearchFilter): SearchHit[] {
    const forward = f.after !== undefined;
    const stmt = forward ? this.newer : this.older;
    const rows = stmt.all(withChat(q.match, f.chat), forward ? f.after : f.before ?? Number.MAX_SAFE_INTEGER, f.from ?? null, f.from ?? null, f.to ?? null, f.to ?? null, f.limit) as HitRow[];
    if (forward) rows.reverse();
    return rows.map((r) => ({ rowid: r.rowid, guid: r.guid, chatGuid: r.chat_guid, sender: r.sender, date: r.date, snippet: toHtml(unmark(r.snip)) }));
  }
}
