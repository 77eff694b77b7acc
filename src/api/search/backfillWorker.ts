// One read process of the search backfill (backfill.ts): it reads the ROWID
// ranges it is handed from chat.db with its own read-only connection, decodes
// the bodies and prepares the index rows, so the API's thread only writes
// them. Nothing is kept between ranges.
import { readerSide } from '../../threads.ts';
import { ChatDb } from '../../imessage/db/index.ts';
import { toChunk } from './rows.ts';
import type { ChunkReply, ChunkRequest, ReadProcessSetup } from './backfill.ts';

const parent = readerSide<ReadProcessSetup, ChunkRequest>();
const setup = parent.data;
let db: ChatDb | null = null;

parent.onMessage((req) => {
  let reply: ChunkReply;
  try {
    db ??= ChatDb.open(setup.path, { home: setup.home, scan: true });
    const range = req.before === null ? { sinceRowid: req.after } : { sinceRowid: req.after, beforeRowid: req.before };
    // The index never looks at attachments (rows.ts): their query is skipped.
    const messages = [...db.iterateMessages({ ...range, attachments: false })];
    const through = req.before === null ? (messages[messages.length - 1]?.rowid ?? req.after) : req.before - 1;
    reply = { id: req.id, chunk: toChunk(messages, req.after, through) };
  } catch (e) {
    reply = { id: req.id, error: (e as Error).message };
  }
  parent.post(reply);
});
