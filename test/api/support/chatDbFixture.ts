// A chat.db for API tests, copied from the real Sequoia test.db (schema,
// indexes, triggers) and filled through plain inserts, the way Messages writes.
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TEST_DB = new URL('../../fixtures/chatdb/test.db', import.meta.url).pathname;
const APPLE_EPOCH_MS = 978_307_200_000;

export class ChatDbFixture {
  readonly db: Database.Database;
  private seq = 0;
  constructor(readonly path: string, readonly home: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
  }

  static create(dir: string): ChatDbFixture {
    const home = join(dir, 'home');
    const msgDir = join(home, 'Library', 'Messages');
    mkdirSync(join(msgDir, 'Attachments'), { recursive: true });
    const path = join(msgDir, 'chat.db');
    copyFileSync(TEST_DB, path);
    const f = new ChatDbFixture(path, home);
    // Apple-only functions the real triggers call on DELETE.
    for (const fn of ['after_delete_message_plugin', 'delete_attachment_path', 'before_delete_attachment_path']) {
      f.db.function(fn, { varargs: true }, () => null);
    }
    f.db.exec('DELETE FROM chat_message_join; DELETE FROM message_attachment_join; DELETE FROM message; DELETE FROM attachment;');
    return f;
  }

  handle(id: string): number {
    const r = this.db.prepare("SELECT ROWID FROM handle WHERE id = ? AND service = 'iMessage'").pluck().get(id) as number | undefined;
    if (r) return r;
    return Number(this.db.prepare("INSERT INTO handle (id, service, country) VALUES (?, 'iMessage', 'us')").run(id).lastInsertRowid);
  }

  addChat(handles: string[], name?: string): { rowid: number; guid: string } {
    const group = handles.length > 1;
    const identifier = group ? `chat${Date.now()}${++this.seq}` : handles[0]!;
    const guid = `iMessage;${group ? '+' : '-'};${identifier}`;
    const rowid = Number(this.db.prepare('INSERT INTO chat (guid, style, chat_identifier, service_name, display_name) VALUES (?, ?, ?, ?, ?)')
      .run(guid, group ? 43 : 45, identifier, 'iMessage', name ?? '').lastInsertRowid);
    for (const h of handles) this.db.prepare('INSERT INTO chat_handle_join (chat_id, handle_id) VALUES (?, ?)').run(rowid, this.handle(h));
    return { rowid, guid };
  }

  /** `noJoin`: commit the row without its chat_message_join (Messages sometimes does); `joinToChat` adds it later. */
  addMessage(chat: { rowid: number }, text: string, opts: { from?: string; fromMe?: boolean; date?: number; noJoin?: boolean } = {}): { rowid: number; guid: string } {
    const guid = `MSG-${process.pid}-${Date.now()}-${++this.seq}`;
    const dateNs = BigInt((opts.date ?? Date.now()) - APPLE_EPOCH_MS) * 1_000_000n;
    const handleId = opts.fromMe ? 0 : this.handle(opts.from ?? '+15550000001');
    const tx = this.db.transaction(() => {
      const rowid = Number(this.db.prepare(`INSERT INTO message (guid, text, handle_id, service, date, is_from_me, is_sent, is_finished)
        VALUES (?, ?, ?, 'iMessage', ?, ?, ?, 1)`).run(guid, text, handleId, dateNs, opts.fromMe ? 1 : 0, opts.fromMe ? 1 : 0).lastInsertRowid);
      if (!opts.noJoin) this.joinToChat(chat, rowid);
      return rowid;
    });
    return { rowid: tx(), guid };
  }

  joinToChat(chat: { rowid: number }, messageRowid: number): void {
    const date = this.db.prepare('SELECT date FROM message WHERE ROWID = ?').safeIntegers().pluck().get(messageRowid) as bigint;
    this.db.prepare('INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES (?, ?, ?)').run(chat.rowid, messageRowid, date);
  }

  /** An attachment on a message; `filename` as chat.db stores it (may be `~/…`). */
  addAttachment(message: { rowid: number }, filename: string, mime = 'image/png', transferName = 'photo.png'): void {
    const guid = `ATT-${++this.seq}-${Date.now()}`;
    const id = Number(this.db.prepare('INSERT INTO attachment (guid, original_guid, filename, mime_type, transfer_name, total_bytes) VALUES (?, ?, ?, ?, ?, 0)')
      .run(guid, guid, filename, mime, transferName).lastInsertRowid);
    this.db.prepare('INSERT INTO message_attachment_join (message_id, attachment_id) VALUES (?, ?)').run(message.rowid, id);
  }

  writeAttachmentFile(rel: string, content: string | Buffer): string {
    const p = join(this.home, 'Library', 'Messages', 'Attachments', rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, content);
    return p;
  }

  close(): void {
    this.db.close();
  }
}
