// chat_message_join, read per page: one index range scan over message_id
// gives every row's chat, instead of one correlated lookup per row.
import type Database from 'better-sqlite3';
import { log } from '../../log.ts';
import type { MessageRow } from './message.ts';

export class ChatJoins {
  /** Null when the join lacks an index on message_id: a range scan would then read the whole table per page. */
  private readonly rangeStmt: Database.Statement | null;

  constructor(db: Database.Database, path: string) {
    const indexed = db.prepare(`SELECT 1 FROM pragma_index_list('chat_message_join') il, pragma_index_info(il.name) ii
      WHERE ii.seqno = 0 AND ii.name = 'message_id' LIMIT 1`).pluck().get() !== undefined;
    this.rangeStmt = indexed
      ? db.prepare('SELECT message_id, chat_id FROM chat_message_join WHERE message_id BETWEEN ? AND ? ORDER BY message_id, chat_id').raw()
      : null;
    if (!indexed) log().info({ db: path }, 'chat_message_join has no message_id index; chats are looked up row by row');
  }

  get batched(): boolean { return this.rangeStmt !== null; }

  /** Fill each row's chat id (the lowest, when a message is in several chats) for rows within [lo, hi]. */
  fill(rows: MessageRow[], lo: number, hi: number): void {
    if (!this.rangeStmt) return;
    const chatOf = new Map<number, number>();
    for (const [messageId, chatId] of this.rangeStmt.iterate(lo, hi) as Iterable<[number, number]>) {
      if (!chatOf.has(messageId)) chatOf.set(messageId, chatId);
    }
    for (const r of rows) r[28] = chatOf.get(r[0]) ?? null;
  }
}
