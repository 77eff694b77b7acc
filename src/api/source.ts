// What the gateway reads from chat.db, as one small interface: the reader
// (src/imessage/db) does the decoding; the paged id queries live here because
// they must hit chat_message_join's (chat_id, message_id) primary key.
import Database from 'better-sqlite3';
import type { Attachment, Chat, IMessage } from '../imessage/model.ts';

/** The subset of the foundation's ChatDb that the gateway uses. */
export interface MessageReader {
  chats(): Chat[];
  chat(guidOrHandle: string): Chat | null;
  messageByGuid(guid: string): IMessage | null;
  messagesByRowids(rowids: number[]): IMessage[];
  messagesAfter(rowid: number, limit: number): IMessage[];
  attachment(messageGuid: string, part: number): Attachment | null;
  maxRowid(): number;
  close(): void;
}

export interface PageQuery { before?: number; after?: number; limit: number }

export class ChatSource {
  private readonly raw: Database.Database;
  private readonly pageDesc: Database.Statement;
  private readonly pageAsc: Database.Statement;

  constructor(chatDbPath: string, readonly reader: MessageReader) {
    this.raw = new Database(chatDbPath, { readonly: true, fileMustExist: true });
    this.raw.pragma('busy_timeout = 5000');
    this.pageDesc = this.raw.prepare('SELECT message_id FROM chat_message_join WHERE chat_id = ? AND message_id < ? ORDER BY message_id DESC LIMIT ?').pluck();
    this.pageAsc = this.raw.prepare('SELECT message_id FROM chat_message_join WHERE chat_id = ? AND message_id > ? ORDER BY message_id ASC LIMIT ?').pluck();
  }

  /** One page of a chat, oldest first. `after` pages forward, otherwise backward from `before` (default: newest). */
  page(chat: Chat, q: PageQuery): IMessage[] {
    const ids = q.after !== undefined
      ? this.pageAsc.all(chat.rowid, q.after, q.limit) as number[]
      : (this.pageDesc.all(chat.rowid, q.before ?? Number.MAX_SAFE_INTEGER, q.limit) as number[]).reverse();
    if (ids.length === 0) return [];
    const byRowid = new Map(this.reader.messagesByRowids(ids).map((m) => [m.rowid, m]));
    return ids.map((id) => byRowid.get(id)).filter((m): m is IMessage => m !== undefined);
  }

  close(): void {
    this.raw.close();
    this.reader.close();
  }
}
