// What the search index stores for one chat.db message, computed where the
// message is read: on the API's thread for live rows, on a read process during
// the backfill (backfillWorker.ts). One place decides what is indexable and
// how its text is prepared, so both paths index a message identically.
import type { IMessage } from '../../imessage/model.ts';
import { splitEmojiForIndex } from './emoji.ts';
import { chatKey } from './query.ts';

/** [rowid, text as indexed, chat_key, chat_guid, sender, date, guid]: a tuple, cheap to pass between processes. */
export type IndexRow = [number, string, string, string, string, number | null, string];

/** Rows of one ROWID range, (after, through]: `drops` are rows there that must not be in the index. */
export interface IndexChunk { after: number; through: number; rows: IndexRow[]; drops: number[] }

const indexable = (m: IMessage): boolean =>
  !m.unsent && m.text.trim() !== '' && (m.kind === 'text' || m.kind === 'url_preview') && m.chatGuid !== null;

/** chatKey hashes (SHA-256); a lifetime of messages has a few hundred chats, so it is memoized (bounded). */
const keys = new Map<string, string>();
function keyOf(chatGuid: string): string {
  let k = keys.get(chatGuid);
  if (k === undefined) {
    if (keys.size >= 4096) keys.clear();
    k = chatKey(chatGuid);
    keys.set(chatGuid, k);
  }
  return k;
}

/** The index row of a message, or null when it is not searchable (unsent, empty, a reaction…). */
export function indexRow(m: IMessage): IndexRow | null {
  if (!indexable(m)) return null;
  return [m.rowid, splitEmojiForIndex(m.text), keyOf(m.chatGuid!), m.chatGuid!, m.sender, m.date, m.guid];
}

/** Messages of the range (after, through] as a chunk. */
export function toChunk(messages: IMessage[], after: number, through: number): IndexChunk {
  const rows: IndexRow[] = [];
  const drops: number[] = [];
  for (const m of messages) {
    const r = indexRow(m);
    if (r) rows.push(r); else drops.push(m.rowid);
  }
  return { after, through, rows, drops };
}
