// Opens the chat.db reader for the gateway. STAND-IN until the foundation's
// ChatDb (src/imessage/db) lands: plain `text` column only, no typedstream,
// no tapback/edit decoding. It implements exactly MessageReader.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { chatGuid, messageGuid } from '../ids.ts';
import type { Attachment, Chat, IMessage, Service } from '../imessage/model.ts';
import type { JsonContract } from './json.ts';
import type { MessageReader } from './source.ts';

const APPLE_EPOCH_MS = 978_307_200_000;
const toMs = (v: number | bigint | null): number | null => {
  if (v === null || v === 0 || v === 0n) return null;
  const n = Number(v);
  return Math.round(n >= 1e12 ? n / 1e6 : n * 1000) + APPLE_EPOCH_MS;
};
const service = (s: string | null): Service => (s === 'iMessage' || s === 'SMS' || s === 'RCS' ? s : 'unknown');

interface MsgRow { ROWID: number; guid: string; text: string | null; is_from_me: number; handle: string | null; service: string | null; date: number | null; date_read: number | null; date_delivered: number | null; error: number; is_sent: number; is_delivered: number; is_read: number; chat_guid: string | null }
interface ChatRow { ROWID: number; guid: string; service_name: string | null; chat_identifier: string | null; display_name: string | null; style: number | null; last: number | null }

const MSG_SELECT = `SELECT m.ROWID, m.guid, m.text, m.is_from_me, h.id AS handle, m.service, m.date, m.date_read, m.date_delivered,
  m.error, m.is_sent, m.is_delivered, m.is_read,
  (SELECT c.guid FROM chat_message_join j JOIN chat c ON c.ROWID = j.chat_id WHERE j.message_id = m.ROWID LIMIT 1) AS chat_guid
  FROM message m LEFT JOIN handle h ON h.ROWID = m.handle_id`;

class StandInReader implements MessageReader {
  private readonly db: Database.Database;
  constructor(path: string, private readonly home: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 5000');
  }
  private msg(r: MsgRow): IMessage {
    const text = r.text ?? '';
    return {
      rowid: r.ROWID, guid: messageGuid(r.guid), chatGuid: r.chat_guid ? chatGuid(r.chat_guid) : null, kind: 'text',
      fromMe: r.is_from_me === 1, sender: r.is_from_me === 1 ? 'me' : (r.handle ?? 'unknown'), service: service(r.service),
      date: toMs(r.date), dateRead: toMs(r.date_read), dateDelivered: toMs(r.date_delivered), dateEdited: null, dateRetracted: null,
      text: text.replace(/\uFFFC/g, ''), rawText: text, attachments: [], reaction: null, replyTo: null, edits: [], unsent: false,
      retractedParts: [], event: null, isSent: r.is_sent === 1, isDelivered: r.is_delivered === 1, isRead: r.is_read === 1,
      error: r.error, balloonBundleId: null, warnings: [],
    };
  }
  private chatOf(r: ChatRow): Chat {
    const participants = this.db.prepare('SELECT h.id FROM chat_handle_join j JOIN handle h ON h.ROWID = j.handle_id WHERE j.chat_id = ?').pluck().all(r.ROWID) as string[];
    return { rowid: r.ROWID, guid: chatGuid(r.guid), service: service(r.service_name), identifier: r.chat_identifier ?? '', displayName: r.display_name || null, isGroup: r.style === 43, participants, lastMessageAt: toMs(r.last) };
  }
  private readonly chatSelect = 'SELECT c.*, (SELECT max(message_date) FROM chat_message_join j WHERE j.chat_id = c.ROWID) AS last FROM chat c';
  chats(): Chat[] { return (this.db.prepare(this.chatSelect).all() as ChatRow[]).map((r) => this.chatOf(r)); }
  chat(g: string): Chat | null {
    const r = this.db.prepare(`${this.chatSelect} WHERE c.guid = ? OR c.chat_identifier = ? ORDER BY c.guid = ? DESC LIMIT 1`).get(g, g, g) as ChatRow | undefined;
    return r ? this.chatOf(r) : null;
  }
  messageByGuid(g: string): IMessage | null {
    const r = this.db.prepare(`${MSG_SELECT} WHERE m.guid = ?`).get(g) as MsgRow | undefined;
    return r ? this.msg(r) : null;
  }
  messagesByRowids(ids: number[]): IMessage[] {
    if (ids.length === 0) return [];
    return (this.db.prepare(`${MSG_SELECT} WHERE m.ROWID IN (${ids.map(() => '?').join(',')}) ORDER BY m.ROWID`).all(...ids) as MsgRow[]).map((r) => this.msg(r));
  }
  messagesAfter(rowid: number, limit: number): IMessage[] {
    return (this.db.prepare(`${MSG_SELECT} WHERE m.ROWID > ? ORDER BY m.ROWID LIMIT ?`).all(rowid, limit) as MsgRow[]).map((r) => this.msg(r));
  }
  attachment(g: string, part: number): Attachment | null {
    const r = this.db.prepare(`SELECT a.* FROM attachment a JOIN message_attachment_join j ON j.attachment_id = a.ROWID JOIN message m ON m.ROWID = j.message_id
      WHERE m.guid = ? ORDER BY a.ROWID LIMIT 1 OFFSET ?`).get(g, part) as { guid: string; filename: string | null; mime_type: string | null; uti: string | null; transfer_name: string | null; total_bytes: number; is_sticker: number } | undefined;
    if (!r) return null;
    const path = r.filename?.startsWith('~/') ? join(this.home, r.filename.slice(2)) : r.filename;
    return { guid: r.guid, path, mimeType: r.mime_type, uti: r.uti, transferName: r.transfer_name, size: r.total_bytes, isSticker: r.is_sticker === 1, part };
  }
  maxRowid(): number { return (this.db.prepare('SELECT coalesce(max(ROWID), 0) FROM message').pluck().get() as number); }
  close(): void { this.db.close(); }
}

export function openReader(chatDbPath: string, home: string): MessageReader {
  return new StandInReader(chatDbPath, home);
}

export const defaultJson: JsonContract = { chat: (c) => c, message: (m) => m };
