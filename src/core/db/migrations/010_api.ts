import type { Migration } from './index.ts';

// The gateway's own state: hashed tokens, the full-text index over chat.db
// messages, and the persisted webhook queue (so retries survive restarts).
export const m010Api: Migration = {
  version: 10,
  name: 'api: tokens, search index, webhook queue',
  up(db) {
    db.exec(`
      CREATE TABLE api_token (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        hash        TEXT NOT NULL UNIQUE,    -- hex SHA-256 of the token; the token itself is never stored
        scopes      TEXT NOT NULL,           -- comma list: read,send
        created_at  INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at  INTEGER
      );

      -- rowid = chat.db message ROWID. chat_key holds one token per chat so a
      -- chat filter is an index intersection, not a scan.
      CREATE VIRTUAL TABLE search_fts USING fts5(
        text, chat_key, chat_guid UNINDEXED, sender UNINDEXED, date UNINDEXED, guid UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
      );
      CREATE TABLE api_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE webhook_queue (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        url         TEXT NOT NULL,
        event_id    TEXT,
        body        TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'pending',  -- pending | dead
        attempts    INTEGER NOT NULL DEFAULT 0,
        next_at     INTEGER NOT NULL,
        last_error  TEXT,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX webhook_queue_due ON webhook_queue(state, next_at);
    `);
  },
};
