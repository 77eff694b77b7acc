// The Messages simulator: the stand-in for a Mac's chat.db that every other
// part is tested against. It writes rows the way Messages does on the chosen
// macOS version, through its own writer connection, in WAL mode. Another
// process can attach to the same folder with MessagesSimulator.open(dir).
import type Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newGuid, type SimAttachmentSpec } from './attachments.ts';
import { createChatDb, openWriter } from './chatDb.ts';
import { addChat, findChat, resolveChat, type AddChatOptions, type SimChat } from './chats.ts';
import { makeContext, SimulatorError, type Me, type SimContext } from './context.ts';
import { editMessage, unsendMessage } from './edits.ts';
import { readSimFile, replaceDatabase, replaceWal, writeSimFile } from './files.ts';
import { appMessage, groupEvent, tapback, urlPreview, type GroupEventOptions, type TapbackOptions } from './kinds.ts';
import { loadMessage } from './lookup.ts';
import { joinChat, myHandleId, nowDate, requireBody, senderHandle, threadPart, writeMessage, type SimMessage, type Written } from './messages.ts';
import { PendingWork, type FlushMode } from './pending.ts';
import { requireColumn } from './context.ts';
import type { MacosVersion } from './versions.ts';

export type { MacosVersion } from './versions.ts';
export type { SimChat } from './chats.ts';
export type { SimMessage } from './messages.ts';
export type { SimAttachmentSpec } from './attachments.ts';
export { SimulatorError } from './context.ts';

export interface ReceiveOptions {
  from: string; text?: string; attachments?: SimAttachmentSpec[]; replyTo?: { guid: string; part?: number };
  date?: Date; joinDelayMs?: number; service?: string;
}
export interface SendOptions {
  text?: string; attachments?: SimAttachmentSpec[]; flipDelayMs?: number; error?: number; ghost?: boolean;
  date?: Date; joinDelayMs?: number; replyTo?: { guid: string; part?: number };
}

const DEFAULT_ME: Omit<Me, 'accountGuid'> = { handle: '+15555550100', login: 'E:me@icloud.com' };
const DONE = Promise.resolve();

export class MessagesSimulator {
  private ctx: SimContext;
  private readonly pending = new PendingWork();
  private closed = false;

  private constructor(readonly dir: string, readonly dbPath: string, readonly home: string, readonly version: MacosVersion, private readonly me: Me, db: Database.Database) {
    this.ctx = makeContext(db, version, home, me, this.pending);
  }

  static create(opts: { dir: string; version?: MacosVersion; home?: string }): MessagesSimulator {
    const dir = resolve(opts.dir);
    const version = opts.version ?? 'sequoia';
    const home = resolve(opts.home ?? join(dir, 'home'));
    const dbPath = join(home, 'Library', 'Messages', 'chat.db');
    if (existsSync(dbPath)) throw new SimulatorError('bad_input', `${dbPath} already exists`, 'Use MessagesSimulator.open(dir) to attach to an existing simulator, or a new folder.');
    mkdirSync(join(home, 'Library', 'Messages', 'Attachments'), { recursive: true });
    const me: Me = { ...DEFAULT_ME, accountGuid: newGuid() };
    const db = createChatDb(dbPath, version);
    writeSimFile(dir, { version, home, dbPath, me });
    return new MessagesSimulator(dir, dbPath, home, version, me, db);
  }

  static open(dir: string): MessagesSimulator {
    const abs = resolve(dir);
    const f = readSimFile(abs);
    return new MessagesSimulator(abs, f.dbPath, f.home, f.version, f.me, openWriter(f.dbPath));
  }

  /** The writer connection (for tests that need to look at what was written). */
  get db(): Database.Database {
    return this.ctx.db;
  }

  addChat(o: AddChatOptions): SimChat {
    return addChat(this.ctx, o);
  }

  findChat(guidOrHandle: string): SimChat | null {
    return findChat(this.ctx, guidOrHandle);
  }

  receive(chatRef: SimChat | string, o: ReceiveOptions): SimMessage {
    requireBody(o.text, o.attachments, 'an incoming message');
    const chat = resolveChat(this.ctx, chatRef);
    const service = o.service ?? chat.service;
    const w = writeMessage(this.ctx, {
      chat, outgoing: false, text: o.text, attachments: o.attachments, date: o.date, joinDelayMs: o.joinDelayMs,
      columns: { service, is_from_me: 0, handle_id: senderHandle(this.ctx, o.from, service), is_delivered: 1, is_finished: 1, ...this.replyColumns(o.replyTo) },
    });
    return this.withDelayedJoin(chat, w, o.joinDelayMs);
  }

  sendFromMe(chatRef: SimChat | string, o: SendOptions): SimMessage {
    const chat = resolveChat(this.ctx, chatRef);
    if (o.ghost) {
      // macOS 26: the send "succeeds" but leaves only an empty outgoing row that no chat owns.
      const w = writeMessage(this.ctx, { chat, noJoin: true, outgoing: true, parts: [], date: o.date, columns: { is_from_me: 1, handle_id: 0, is_finished: 1, message_summary_info: null } });
      return { rowid: w.rowid, guid: w.guid, settled: DONE };
    }
    requireBody(o.text, o.attachments, 'a sent message');
    const final = { is_from_me: 1, is_finished: 1, is_sent: o.error ? 0 : 1, error: o.error ?? 0 };
    const flip = o.flipDelayMs !== undefined;
    const w = writeMessage(this.ctx, {
      chat, outgoing: true, text: o.text, attachments: o.attachments, date: o.date, joinDelayMs: o.joinDelayMs,
      // While the send is in progress Messages shows the row as the recipient's, unfinished (imsg #80).
      columns: { handle_id: myHandleId(this.ctx, chat), ...this.replyColumns(o.replyTo), ...(flip ? { is_from_me: 0, is_finished: 0, is_sent: 0 } : final) },
    });
    const joined = this.withDelayedJoin(chat, w, o.joinDelayMs);
    if (!flip) return joined;
    const flipped = this.pending.schedule(o.flipDelayMs ?? 0, () => { this.ctx.t.message.update(w.rowid, final); });
    return { ...joined, settled: Promise.all([joined.settled, flipped]).then(() => undefined) };
  }

  tapback(chat: SimChat | string, o: TapbackOptions): SimMessage {
    return settledNow(tapback(this.ctx, chat, o));
  }

  edit(guid: string, newText: string, o: { part?: number } = {}): void {
    editMessage(this.ctx, guid, newText, o.part);
  }

  unsend(guid: string, o: { part?: number } = {}): void {
    unsendMessage(this.ctx, guid, o.part);
  }

  markDelivered(guid: string): void {
    const m = loadMessage(this.ctx, guid);
    this.ctx.t.message.update(m.rowid, { is_delivered: 1, date_delivered: nowDate(this.ctx) });
  }

  markRead(guid: string): void {
    const m = loadMessage(this.ctx, guid);
    const now = nowDate(this.ctx);
    this.ctx.t.message.update(m.rowid, { is_read: 1, date_read: now, is_delivered: 1 });
  }

  setError(guid: string, code: number): void {
    if (!Number.isInteger(code)) throw new SimulatorError('bad_input', `error code must be an integer, got ${code}`, 'Pass a code like 4 or 22.');
    const m = loadMessage(this.ctx, guid);
    this.ctx.t.message.update(m.rowid, { error: code, is_finished: 1, ...(code !== 0 ? { is_sent: 0, is_delivered: 0 } : { is_sent: 1 }) });
  }

  groupEvent(chat: SimChat | string, o: GroupEventOptions): SimMessage {
    return settledNow(groupEvent(this.ctx, chat, o));
  }

  urlPreview(chat: SimChat | string, o: { from?: string; url: string }): SimMessage {
    return settledNow(urlPreview(this.ctx, chat, o));
  }

  appMessage(chat: SimChat | string, o: { from?: string; bundle: string; text?: string }): SimMessage {
    return settledNow(appMessage(this.ctx, chat, o));
  }

  /**
   * iCloud sync delivering a copy of an existing message under a new guid and
   * a new (higher) ROWID, with the original's old date.
   */
  syncDuplicate(guid: string): SimMessage {
    const m = loadMessage(this.ctx, guid);
    const rowid = this.ctx.db.transaction(() => {
      const cols = [...this.ctx.t.message.columns].filter((c) => c !== 'ROWID' && c !== 'guid');
      const r = this.ctx.db.prepare(`INSERT INTO message (guid, ${cols.join(', ')}) SELECT ?, ${cols.join(', ')} FROM message WHERE ROWID = ?`).run(newGuid(), m.rowid);
      const id = Number(r.lastInsertRowid);
      if (m.chatId !== null) joinChat(this.ctx, m.chatId, id, m.date);
      return id;
    })();
    const copy = this.ctx.db.prepare('SELECT guid FROM message WHERE ROWID = ?').pluck().get(rowid) as string;
    return { rowid, guid: copy, settled: DONE };
  }

  /** Checkpoint the WAL; with `replaceWal`, delete -wal/-shm so they come back as new files (new inodes). */
  checkpoint(o: { replaceWal?: boolean } = {}): void {
    if (!o.replaceWal) {
      this.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
      return;
    }
    this.swapDb(replaceWal(this.ctx.db, this.dbPath, this.dir, () => openWriter(this.dbPath)));
  }

  /** Replace chat.db with a new file whose MAX(ROWID) is lower (a restore or resync). Pending writes are dropped. */
  replaceDatabase(o: { keepChats?: boolean } = {}): void {
    this.pending.flush('drop');
    replaceDatabase(this.ctx.db, this.dbPath, this.version, this.dir, o.keepChats ?? true);
    this.swapDb(openWriter(this.dbPath));
  }

  maxRowid(): number {
    return Number(this.ctx.db.prepare('SELECT COALESCE(MAX(ROWID), 0) FROM message').pluck().get());
  }

  /** Number of delayed writes (joins, flips) not yet in chat.db. */
  get pendingWrites(): number {
    return this.pending.size;
  }

  /**
   * Settle pending writes and close. By default waits until each is due (so a
   * short-lived process still shows the delay), `now` writes them at once,
   * `drop` abandons them. No timer survives close().
   */
  close(o: { pending?: FlushMode } = {}): void {
    if (this.closed) return;
    this.pending.flush(o.pending ?? 'wait');
    this.closed = true;
    this.ctx.db.close();
  }

  private swapDb(db: Database.Database): void {
    this.ctx = makeContext(db, this.version, this.home, this.me, this.pending);
  }

  private replyColumns(replyTo: { guid: string; part?: number } | undefined): Record<string, unknown> {
    if (!replyTo) return {};
    requireColumn(this.ctx, 'message', 'thread_originator_guid', 'replies');
    const part = replyTo.part ?? 0;
    return { thread_originator_guid: replyTo.guid, thread_originator_part: threadPart(this.ctx, replyTo.guid, part) };
  }

  private withDelayedJoin(chat: SimChat, w: Written, joinDelayMs: number | undefined): SimMessage {
    if (!joinDelayMs) return { rowid: w.rowid, guid: w.guid, settled: DONE };
    // Uses this.ctx at run time: the connection may have been reopened since.
    const settled = this.pending.schedule(joinDelayMs, () => joinChat(this.ctx, chat.rowid, w.rowid, w.date));
    return { rowid: w.rowid, guid: w.guid, settled };
  }
}

function settledNow(w: Written): SimMessage {
  return { rowid: w.rowid, guid: w.guid, settled: DONE };
}
