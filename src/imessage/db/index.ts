// ChatDb: the one reader of Messages' chat.db. It returns normalized IMessage
// and Chat values (../model.ts) and streams in bounded pages; statements are
// finished before rows are handed out, so no read transaction stays open and
// rows committed later (even only in the WAL) are seen by the next call.
import type Database from 'better-sqlite3';
import { homedir } from 'node:os';
import type { Attachment, Chat, IMessage } from '../model.ts';
import { epochMsToAppleThresholds } from '../dates.ts';
import { AttachmentTable } from './attachment.ts';
import { ChatTable } from './chat.ts';
import { toChatDbError } from './errors.ts';
import { HandleTable } from './handleTable.ts';
import { rowToMessage, type RowContext } from './mapRow.ts';
import { ChatJoins } from './joins.ts';
import { CHAT_ID_SUBQUERY, messageSelectList, OPTIONAL_MESSAGE_COLUMNS, type MessageRow } from './message.ts';
import { openChatDb } from './open.ts';
import { CompactPages } from './pageRows.ts';
import { PageBodies } from './pageBodies.ts';
import { readSchema, reportMissing, type Schema } from './schema.ts';

export { ChatDbError, fullDiskAccessSubject, type ChatDbErrorKind } from './errors.ts';
export { ChatDbHandle, type ChatPageQuery } from './handle.ts';

export interface OpenOptions {
  /** Home that `~/Library/Messages/Attachments/…` paths expand against (default: os.homedir()). */
  home?: string;
  busyTimeoutMs?: number;
  /** Rows fetched per query while streaming. */
  pageSize?: number;
  /** This connection reads the tables front to back once (a whole-table read): it keeps a small page cache. */
  scan?: boolean;
}

export interface IterateOptions {
  /** A chat guid, or a handle (every chat with that identifier). */
  chat?: string;
  /** Only ROWID > sinceRowid. */
  sinceRowid?: number;
  /** Only ROWID < beforeRowid. */
  beforeRowid?: number;
  limit?: number;
  order?: 'asc' | 'desc';
  /** false: messages come with no attachments, and their query is skipped (a read that never looks at them: the search backfill). */
  attachments?: boolean;
}

type Filter = 'all' | 'chat' | 'chats';
const NO_ATTACHMENTS: ReadonlyMap<number, Attachment[]> = new Map();
/** `next`: where the following page starts (the last ROWID read past), or null when none is left. */
interface Page { messages: IMessage[]; next: number | null }

export class ChatDb {
  readonly columns: ReadonlySet<string>;
  private readonly schema: Schema;
  private readonly handles: HandleTable;
  private readonly chatTable: ChatTable;
  private readonly attachments: AttachmentTable;
  private readonly joins: ChatJoins;
  private readonly select: string;
  /** Whole-table pages: compact rows (see pageRows.ts), blob lengths instead of blobs, the blobs then from `bodies` (null: this database can't). */
  private readonly pages: CompactPages;
  private readonly bodies: PageBodies | null;
  private readonly readPage: (fn: () => Page) => Page;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly pageSize: number;

  private constructor(readonly path: string, private readonly db: Database.Database, opts: OpenOptions) {
    this.schema = readSchema(db);
    this.columns = this.schema.message;
    reportMissing(path, 'message', OPTIONAL_MESSAGE_COLUMNS, this.schema.message);
    this.handles = new HandleTable(db);
    this.chatTable = new ChatTable(db, this.schema, this.handles);
    this.attachments = new AttachmentTable(db, this.schema, opts.home ?? homedir());
    this.select = messageSelectList(this.schema.message);
    this.bodies = PageBodies.usable(db, this.schema.message.has('attributedBody')) ? new PageBodies(db) : null;
    // One read transaction per page: its queries (rows, chats, blobs, attachments) see one snapshot.
    const txn = db.transaction((fn: () => Page) => fn());
    this.readPage = (fn) => txn.deferred(fn);
    this.joins = new ChatJoins(db, path);
    this.pages = new CompactPages(db, this.schema.message, { bodyLengths: this.bodies !== null, chatIdsLater: this.joins.batched });
    // 250 rows: on the 1M-row realistic chat.db, 100–400 read ~20% faster than 1000 and peak ~15 MB lower
    // (a page's JSON text, bodies and messages stay within the CPU cache and die young in V8).
    this.pageSize = Math.max(1, opts.pageSize ?? 250);
  }

  static open(path: string, opts: OpenOptions = {}): ChatDb {
    const db = openChatDb(path, opts.busyTimeoutMs ?? 5000, opts.scan ?? false);
    try {
      return new ChatDb(path, db, opts);
    } catch (e) {
      db.close();
      throw toChatDbError(path, e);
    }
  }

  maxRowid(): number {
    return this.guard(() => (this.stmt('max', 'SELECT coalesce(MAX(ROWID), 0) FROM message').pluck().get() as number));
  }

  /** How many messages have ROWID > rowid (ROWIDs can be sparse: a restored or merged chat.db). */
  countAfter(rowid: number): number {
    return this.guard(() => (this.stmt('countAfter', 'SELECT count(*) FROM message WHERE ROWID > ?').pluck().get(rowid) as number));
  }

  /** ROWID > rowid, ascending, chatless rows included (chatGuid null until the join row lands). */
  messagesAfter(rowid: number, limit: number): IMessage[] {
    return [...this.iterateMessages({ sinceRowid: rowid, limit })];
  }

  *iterateMessages(o: IterateOptions = {}): IterableIterator<IMessage> {
    const desc = o.order === 'desc';
    let chatIds: number[] = [];
    if (o.chat !== undefined) {
      chatIds = this.guard(() => this.chatTable.rowidsFor(o.chat!));
      if (chatIds.length === 0) return;
    }
    const filter: Filter = o.chat === undefined ? 'all' : chatIds.length === 1 ? 'chat' : 'chats';
    let remaining = o.limit ?? Infinity;
    let lo = o.sinceRowid ?? -1;
    let hi = o.beforeRowid ?? Number.MAX_SAFE_INTEGER;
    while (remaining > 0 && lo < hi) {
      const n = Math.min(this.pageSize, remaining);
      const page = this.guard(() => this.fetchPage(filter, desc, chatIds, lo, hi, n, o.attachments ?? true));
      for (const m of page.messages) yield m;
      if (page.next === null) return;
      remaining -= page.messages.length;
      if (desc) hi = page.next; else lo = page.next;
    }
  }

  messageByGuid(guid: string): IMessage | null {
    return this.guard(() => this.mapRows(this.stmt('byGuid', `SELECT ${this.select}, ${CHAT_ID_SUBQUERY} FROM message m WHERE m.guid = ?`).raw().all(guid) as MessageRow[], false)[0] ?? null);
  }

  /** Messages with these ROWIDs, ascending; unknown ROWIDs are skipped. */
  messagesByRowids(rowids: number[]): IMessage[] {
    if (rowids.length === 0) return [];
    return this.guard(() => this.mapRows(this.stmt('byRowids', `SELECT ${this.select}, ${CHAT_ID_SUBQUERY} FROM message m WHERE m.ROWID IN (SELECT value FROM json_each(?)) ORDER BY m.ROWID`)
      .raw().all(JSON.stringify(rowids)) as MessageRow[], false));
  }

  /**
   * Rows changed in place since `sinceMs` (epoch ms): edited, unsent, delivered or read then, plus rows
   * dated then (which covers `is_from_me` flipping to 1 and `error` being set on a fresh send). ROWID <= maxRowid.
   */
  changedSince(sinceMs: number, maxRowid: number, minRowid = 0): IMessage[] {
    const t = epochMsToAppleThresholds(sinceMs);
    // Edits, unsends and receipts touch recent messages, i.e. high ROWIDs; a
    // lower bound keeps each poll from reading the whole table (not every
    // schema has an index on date, so the bound is by ROWID).
    const from = minRowid - 1;
    const cols = ['date', 'date_edited', 'date_retracted', 'date_delivered', 'date_read'].filter((c) => this.columns.has(c));
    // Both units, per value: nanoseconds at or above the ns threshold, or seconds below 1e12 at or above the s one.
    const cond = cols.map((c) => `(m.${c} >= :ns OR (m.${c} > 0 AND m.${c} < 1000000000000 AND m.${c} >= :s))`).join(' OR ');
    const sql = `SELECT ${this.select}, ${CHAT_ID_SUBQUERY} FROM message m WHERE m.ROWID > :after AND m.ROWID <= :max AND (${cond}) ORDER BY m.ROWID LIMIT :limit`;
    const out: IMessage[] = [];
    let after = from;
    for (;;) {
      const page = this.guard(() => this.mapRows(this.stmt('changed', sql).raw().all({ ns: t.ns, s: t.s, after, max: maxRowid, limit: this.pageSize }) as MessageRow[], false));
      out.push(...page);
      if (page.length < this.pageSize) return out;
      after = page[page.length - 1]!.rowid;
    }
  }

  chats(): Chat[] {
    return this.guard(() => this.chatTable.all());
  }

  /** One page of a chat's message ROWIDs, ascending. `after` pages forward; otherwise backward from `before` (default: the newest). */
  chatMessageIds(chatRowid: number, q: { before?: number; after?: number; limit: number }): number[] {
    // Through chat_message_join's (chat_id, message_id) key, not a scan.
    return this.guard(() => (q.after !== undefined
      ? this.stmt('idsAsc', 'SELECT message_id FROM chat_message_join WHERE chat_id = ? AND message_id > ? ORDER BY message_id ASC LIMIT ?').pluck().all(chatRowid, q.after, q.limit) as number[]
      : (this.stmt('idsDesc', 'SELECT message_id FROM chat_message_join WHERE chat_id = ? AND message_id < ? ORDER BY message_id DESC LIMIT ?').pluck().all(chatRowid, q.before ?? Number.MAX_SAFE_INTEGER, q.limit) as number[]).reverse()));
  }

  chat(guidOrHandle: string): Chat | null {
    return this.guard(() => this.chatTable.one(guidOrHandle));
  }

  /** The `part`-th attachment (0-based, in the order Messages attached them) of a message. */
  attachment(messageGuid: string, part: number): Attachment | null {
    return this.guard(() => {
      const rowid = this.stmt('rowidByGuid', 'SELECT ROWID FROM message WHERE guid = ?').pluck().get(messageGuid) as number | undefined;
      if (rowid === undefined) return null;
      return this.attachments.forMessages([rowid]).get(rowid)?.[part] ?? null;
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private fetchPage(filter: Filter, desc: boolean, chatIds: number[], lo: number, hi: number, n: number, attachments: boolean): Page {
    const dir = desc ? 'DESC' : 'ASC';
    if (filter === 'all') {
      return this.readPage(() => {
        const { rows: page, next } = this.pages.read(lo, hi, n, desc);
        if (page.length > 0) {
          const a = page[0]![0];
          const b = page[page.length - 1]![0];
          this.joins.fill(page, Math.min(a, b), Math.max(a, b));
          this.bodies?.fill(page, Math.min(a, b), Math.max(a, b));
        }
        return { messages: this.mapRows(page, true, attachments), next };
      });
    }
    // Through chat_message_join's (chat_id, message_id) key: the chat's rows in ROWID order.
    const where = filter === 'chat' ? 'j.chat_id = ?' : 'j.chat_id IN (SELECT value FROM json_each(?))';
    const sql = `SELECT ${this.select}, j.chat_id FROM chat_message_join j JOIN message m ON m.ROWID = j.message_id
      WHERE ${where} AND j.message_id > ? AND j.message_id < ? ORDER BY j.message_id ${dir} LIMIT ?`;
    const key = filter === 'chat' ? chatIds[0] : JSON.stringify(chatIds);
    const rows = this.stmt(`${filter}-${dir}`, sql).raw().all(key, lo, hi, n) as MessageRow[];
    return { messages: this.mapRows(dedupe(rows), false, attachments), next: rows.length < n ? null : rows.at(-1)![0] };
  }

  /** Rows → messages, with their attachments fetched in one query (unless `withAttachments` is false). */
  private mapRows(rows: MessageRow[], contiguous: boolean, withAttachments = true): IMessage[] {
    if (rows.length === 0) return [];
    let min = Infinity;
    let max = -Infinity;
    for (const r of rows) { if (r[0] < min) min = r[0]; if (r[0] > max) max = r[0]; }
    const attachments = !withAttachments ? NO_ATTACHMENTS
      : contiguous ? this.attachments.forRange(min, max) : this.attachments.forMessages(rows.map((r) => r[0]));
    const ctx: RowContext = {
      handleId: (id) => this.handles.id(id),
      chat: (id) => this.chatTable.ref(id),
      attachments,
    };
    return rows.map((r) => rowToMessage(r, ctx));
  }

  private stmt(key: string, sql: string): Database.Statement {
    let s = this.statements.get(key);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(key, s);
    }
    return s;
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw toChatDbError(this.path, e);
    }
  }
}

/** A message in two of the requested chats appears twice; keep the first. */
function dedupe(rows: MessageRow[]): MessageRow[] {
  if (rows.length < 2) return rows;
  const seen = new Set<number>();
  return rows.filter((r) => (seen.has(r[0]) ? false : (seen.add(r[0]), true)));
}
