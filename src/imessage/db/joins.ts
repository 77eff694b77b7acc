// chat_message_join, read per page: one index range scan over message_id
// gives every row's chat, instead of one correlated lookup per row.
import type Database from 'better-sqlite3';
import { log } from '../../log.ts';
import type { MessageRow } from './message.ts';

/** Past this many ROWIDs per row (a sparse page), a Map beats a dense array. */
const DENSE_SPREAD = 8;

export class ChatJoins {
  /** Null when the join lacks an index on message_id: a range scan would then read the whole table per page. */
  private readonly rangeStmt: Database.Statement | null;

  constructor(db: Database.Database, path: string) {
    const indexed = db.prepare(`SELECT 1 FROM pragma_index_list('chat_message_join') il, pragma_index_info(il.name) ii
      WHERE ii.seqno = 0 AND ii.name = 'message_id' LIMIT 1`).pluck().get() !== undefined;
    // No ORDER BY: sorting by chat_id costs a temp b-tree per page; the lowest chat id is kept below instead.
    this.rangeStmt = indexed
      ? db.prepare('SELECT message_id, chat_id FROM chat_message_join WHERE message_id BETWEEN ? AND ?').raw()
      : null;
    if (!indexed) log().info({ db: path }, 'chat_message_join has no message_id index; chats are looked up row by row');
  }

  get batched(): boolean { return this.rangeStmt !== null; }

  /** Fill each row's chat id (the lowest, when a message is in several chats) for rows within [lo, hi]. */
  fill(rows: MessageRow[], lo: number, hi: number): void {
    if (!this.rangeStmt) return;
    const joins = this.rangeStmt.all(lo, hi) as [messageId: number, chatId: number | null][];
    // NULL sorts lowest in SQL, so (as with ORDER BY chat_id) a NULL chat id wins: kept as -Infinity here.
    if (hi - lo + 1 <= rows.length * DENSE_SPREAD) {
      const chatOf = new Float64Array(hi - lo + 1).fill(Infinity);
      for (const [m, c] of joins) {
        const v = c ?? -Infinity;
        if (v < chatOf[m - lo]!) chatOf[m - lo] = v;
      }
      for (const r of rows) r[28] = chatIdOf(chatOf[r[0] - lo]);
      return;
    }
    const chatOf = new Map<number, number>();
    for (const [m, c] of joins) {
      const v = c ?? -Infinity;
      if (v < (chatOf.get(m) ?? Infinity)) chatOf.set(m, v);
    }
    for (const r of rows) r[28] = chatIdOf(chatOf.get(r[0]));
  }
}

function chatIdOf(v: number | undefined): number | null {
  return v === undefined || v === Infinity || v === -Infinity ? null : v;
}
