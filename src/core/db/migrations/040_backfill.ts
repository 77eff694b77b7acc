import type { Migration } from './index.ts';

// One row per backfill run: which connector's portal of which chat got which
// range of history envelopes (event_log seqs). Written in the same transaction
// as those envelopes and their journal rows, so a crash keeps all or none;
// progress is read from the journal itself.
export const m040Backfill: Migration = {
  version: 40,
  name: 'backfill runs',
  up(db) {
    db.exec(`
      CREATE TABLE backfill_run (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        connector   TEXT NOT NULL,
        chat_guid   TEXT NOT NULL,
        target      TEXT NOT NULL,           -- portal | thread
        total       INTEGER NOT NULL,
        first_seq   INTEGER,                 -- NULL when there was nothing to post
        last_seq    INTEGER,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX backfill_run_chat ON backfill_run(connector, chat_guid);
    `);
  },
};
