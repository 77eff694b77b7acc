import { hasEmoji, splitEmojiForIndex } from '../../../api/search/emoji.ts';
import type { Migration } from './index.ts';

// Search indexes built before emoji splitting (api/search/emoji.ts) hold
// tokens like `summit🧗`: re-index the rows that contain emoji, in place, so
// search stays complete (no backfill from scratch).
export const m011SearchEmoji: Migration = {
  version: 11,
  name: 'api: search index splits words at emoji',
  up(db) {
    const stale: number[] = [];
    for (const r of db.prepare('SELECT rowid, text FROM search_fts').iterate() as IterableIterator<{ rowid: number; text: string }>) {
      if (hasEmoji(r.text) && splitEmojiForIndex(r.text) !== r.text) stale.push(r.rowid);
    }
    const get = db.prepare('SELECT text, chat_key, chat_guid, sender, date, guid FROM search_fts WHERE rowid = ?');
    const del = db.prepare('DELETE FROM search_fts WHERE rowid = ?');
    const ins = db.prepare('INSERT INTO search_fts (rowid, text, chat_key, chat_guid, sender, date, guid) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const rowid of stale) {
      const r = get.get(rowid) as { text: string; chat_key: string; chat_guid: string; sender: string; date: number | null; guid: string };
      del.run(rowid);
      ins.run(rowid, splitEmojiForIndex(r.text), r.chat_key, r.chat_guid, r.sender, r.date, r.guid);
    }
  },
};
