import type { Migration } from './index.ts';

// Scheduled sends (POST /v1/send with send_at): kept here until their time,
// then handed to the outbox. `firing` is written before the hand-over, so a
// crash in between is resolved on restart by looking for the outbox entry
// whose origin is this row (see src/core/outbox/scheduled.ts).
export const m009Scheduled: Migration = {
  version: 9,
  name: 'scheduled sends',
  up(db) {
    db.exec(`
      CREATE TABLE scheduled_send (
        id              TEXT PRIMARY KEY,        -- sch_<uuid>
        chat_guid       TEXT NOT NULL,
        text            TEXT NOT NULL,
        from_connector  TEXT NOT NULL,
        from_user       TEXT NOT NULL,
        from_name       TEXT NOT NULL,
        send_at         INTEGER NOT NULL,        -- epoch ms
        state           TEXT NOT NULL,           -- scheduled | firing | queued | cancelled | failed
        outbox_id       TEXT,
        error           TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      );
      CREATE INDEX scheduled_send_due ON scheduled_send(state, send_at);
      CREATE INDEX scheduled_send_owner ON scheduled_send(from_user, send_at);
    `);
  },
};
