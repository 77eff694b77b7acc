import type { Migration } from './index.ts';

// The delivery journal. Every event gets a seq in `event_log` (also the SSE id)
// and one `delivery` row per connector that wants it, written in the same
// transaction that moves the watcher's cursor: a crash either keeps all three
// or none. A delivery is marked `inflight` BEFORE the connector is called, so
// after a crash we know which ones to reconcile instead of blindly resending.
export const m002Delivery: Migration = {
  version: 2,
  name: 'delivery: event log, per-connector journal, outbox origin and send time',
  up(db) {
    db.exec(`
      CREATE TABLE event_log (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        key         TEXT NOT NULL UNIQUE,      -- idempotency key, e.g. msg:<guid>
        chat_guid   TEXT NOT NULL,
        type        TEXT NOT NULL,
        envelope    TEXT NOT NULL,             -- JSON of the BridgeEvent
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX event_log_created ON event_log(created_at);

      CREATE TABLE delivery (
        connector   TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        chat_guid   TEXT NOT NULL,
        state       TEXT NOT NULL,             -- pending | inflight | done
        attempts    INTEGER NOT NULL DEFAULT 0,
        next_at     INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (connector, seq)
      );
      -- Partial: done rows pile up until pruned, and must not slow the queue heads.
      CREATE INDEX delivery_open ON delivery(connector, seq) WHERE state != 'done';
      CREATE INDEX delivery_open_chat ON delivery(connector, chat_guid, seq) WHERE state != 'done';

      ALTER TABLE outbox ADD COLUMN origin_connector TEXT;
      ALTER TABLE outbox ADD COLUMN sent_at INTEGER;      -- when osascript returned
    `);
  },
};
