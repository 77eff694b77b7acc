import type { Migration } from './index.ts';

// The search index without FTS5's prefix indexes (010 had `prefix = '2 3'`).
// They only serve 2- and 3-character prefix queries (`ti*`), which FTS5
// answers from the term index anyway (tens of ms on 1M messages, like a
// 1-character prefix always did), while every insert wrote each token three
// times: without them a lifetime of messages indexes in ~60% of the time and
// every other query reads a smaller index. The index is rebuilt by the
// backfill, in the background, with the API answering: dropping the mark
// makes it start over.
export const m012SearchNoPrefix: Migration = {
  version: 12,
  name: 'api: search index without prefix indexes (rebuilt by the backfill)',
  up(db) {
    db.exec(`
      DROP TABLE search_fts;
      CREATE VIRTUAL TABLE search_fts USING fts5(
        text, chat_key, chat_guid UNINDEXED, sender UNINDEXED, date UNINDEXED, guid UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2'
      );
      DELETE FROM api_state WHERE key = 'backfill_through';
    `);
  },
};
