import type { Migration } from './index.ts';

// The outbox becomes the one send ledger. A send's origin (connector, remote
// message, part) is unique, so handing the same remote message in twice — a
// retry, a catch-up after a restart — returns the first entry instead of
// sending again; connectors keep no private ledgers. `origin_room` is where
// the remote message lives (to show its fate there), `reported_state` the
// last fate stage shown to the origin (each stage once), `file_owned` a file
// the core deletes when the fate is final. `send_denial_notice`: who was
// already told their message may not go to iMessage, per chat.
export const m004SendOrigin: Migration = {
  version: 4,
  name: 'core: unique send origin, fate reported once, owned files, denial notices',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN origin_part INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN origin_room TEXT;
      ALTER TABLE outbox ADD COLUMN file_owned INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN reported_state TEXT;

      UPDATE outbox SET origin_connector = from_connector WHERE origin_remote_id IS NOT NULL AND origin_connector IS NULL;
      -- Older rows of one remote message (text + files) shared an origin: number them in order.
      UPDATE outbox SET origin_part = (
        SELECT count(*) FROM outbox o2
        WHERE o2.origin_connector = outbox.origin_connector AND o2.origin_remote_id = outbox.origin_remote_id AND o2.seq < outbox.seq
      ) WHERE origin_remote_id IS NOT NULL;
      -- Fates of existing rows were already shown by the connectors' own ledgers.
      UPDATE outbox SET reported_state = CASE WHEN state IN ('queued', 'sending') THEN 'pending' ELSE state END;
      CREATE UNIQUE INDEX outbox_origin ON outbox(origin_connector, origin_remote_id, origin_part) WHERE origin_remote_id IS NOT NULL;

      CREATE TABLE send_denial_notice (
        connector  TEXT NOT NULL,
        chat_key   TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        at         INTEGER NOT NULL,
        PRIMARY KEY (connector, chat_key, user_id)
      );
    `);
  },
};
