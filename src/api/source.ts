// What the gateway reads from chat.db, as one small interface. In the daemon
// it is the process's one ChatDbHandle (src/imessage/db/handle.ts): every call
// goes to the connection that is current, so nothing here may open chat.db
// itself or keep a connection.
import type { Attachment, Chat, IMessage } from '../imessage/model.ts';

/** The subset of the foundation's ChatDbHandle that the gateway uses. */
export interface MessageReader {
  chats(): Chat[];
  chat(guidOrHandle: string): Chat | null;
  messageByGuid(guid: string): IMessage | null;
  messagesByRowids(rowids: number[]): IMessage[];
  messagesAfter(rowid: number, limit: number): IMessage[];
  /** A page of one chat's ROWIDs, ascending (through chat_message_join's key). */
  chatMessageIds(chatRowid: number, q: PageQuery): number[];
  attachment(messageGuid: string, part: number): Attachment | null;
  maxRowid(): number;
  /** Messages with ROWID > rowid; without it, the ROWID span stands in for the count. */
  countAfter?(rowid: number): number;
  close(): void;
}

export interface PageQuery { before?: number; after?: number; limit: number }

export class ChatSource {
  /** `ownsReader`: close it with the source (false for the daemon's shared handle). */
  constructor(readonly reader: MessageReader, private readonly ownsReader = true) {}

  /** One page of a chat, oldest first. `after` pages forward, otherwise backward from `before` (default: newest). */
  page(chat: Chat, q: PageQuery): IMessage[] {
    const ids = this.reader.chatMessageIds(chat.rowid, q);
    if (ids.length === 0) return [];
    const byRowid = new Map(this.reader.messagesByRowids(ids).map((m) => [m.rowid, m]));
    return ids.map((id) => byRowid.get(id)).filter((m): m is IMessage => m !== undefined);
  }

  close(): void {
    if (this.ownsReader) this.reader.close();
  }
}
