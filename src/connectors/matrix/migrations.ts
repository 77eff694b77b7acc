// The Matrix connector's own migrations, applied by the core when the
// connector opens its kit; they see only the matrix_* tables.
import type { ConnectorMigration } from '../../core/kit/index.ts';

// Matrix connector state. Incoming Matrix events are queued here before they
// are acknowledged (appservice transactions) or before the sync token moves
// (bot mode), so a crash or restart never loses or replays one.
const m030Matrix: ConnectorMigration = {
  version: 30,
  name: 'matrix: inbound queue, appservice transactions, reactions, state',
  up(storage) {
    storage.exec(`
      CREATE TABLE matrix_txn (
        txn_id      TEXT PRIMARY KEY,
        events      INTEGER NOT NULL,
        received_at INTEGER NOT NULL
      );
      CREATE TABLE matrix_inbound (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id    TEXT NOT NULL UNIQUE,
        room_id     TEXT NOT NULL,
        event       TEXT NOT NULL,          -- the raw event JSON
        state       TEXT NOT NULL DEFAULT 'pending', -- pending | done | failed
        attempts    INTEGER NOT NULL DEFAULT 0,
        last_error  TEXT,
        received_at INTEGER NOT NULL
      );
      CREATE INDEX matrix_inbound_pending ON matrix_inbound(state, id);
      -- One current tapback per (message part, sender): a new one replaces it.
      CREATE TABLE matrix_reaction (
        target_guid TEXT NOT NULL,
        part        INTEGER NOT NULL,
        sender      TEXT NOT NULL,
        reaction_key TEXT NOT NULL,
        room_id     TEXT NOT NULL,
        event_id    TEXT NOT NULL,
        PRIMARY KEY (target_guid, part, sender)
      );
      CREATE TABLE matrix_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);
  },
};

// Matrix kept hand-off marks (matrix_state `handoff:<event>`) so a retried
// event was not sent twice. The outbox now knows every origin (migration 004:
// unique per connector, event and part), so the marks are dead weight.
const m031MatrixHandoffs: ConnectorMigration = {
  version: 31,
  name: 'matrix: hand-off marks give way to the outbox origin',
  up(storage) {
    storage.prepare("DELETE FROM matrix_state WHERE key LIKE 'handoff:%'").run();
  },
};

export const matrixMigrations: readonly ConnectorMigration[] = [m030Matrix, m031MatrixHandoffs];
