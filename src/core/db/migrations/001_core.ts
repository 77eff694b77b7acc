import type { Migration } from './index.ts';

export const m001Core: Migration = {
  version: 1,
  name: 'core tables: portals, message map, cursors, outbox, audit',
  up(db) {
    db.exec(`
      CREATE TABLE portal (
        connector   TEXT NOT NULL,
        chat_guid   TEXT NOT NULL,
        remote_id   TEXT NOT NULL,          -- room id / channel id / forum thread id
        extra       TEXT NOT NULL DEFAULT '{}', -- connector-owned JSON (webhook id+token, space…)
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (connector, chat_guid)
      );
      CREATE UNIQUE INDEX portal_remote ON portal(connector, remote_id);

      CREATE TABLE message_map (
        connector    TEXT NOT NULL,
        message_guid TEXT NOT NULL,
        part         INTEGER NOT NULL DEFAULT 0,
        remote_id    TEXT NOT NULL,
        chat_guid    TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        PRIMARY KEY (connector, message_guid, part)
      );
      CREATE INDEX message_map_remote ON message_map(connector, remote_id);

      CREATE TABLE cursor (
        consumer    TEXT PRIMARY KEY,
        rowid       INTEGER NOT NULL,
        db_identity TEXT NOT NULL,          -- which chat.db file the rowid belongs to
        updated_at  INTEGER NOT NULL
      );

      CREATE TABLE outbox (
        id           TEXT PRIMARY KEY,
        seq          INTEGER NOT NULL UNIQUE,
        chat_guid    TEXT NOT NULL,
        text         TEXT,
        file_path    TEXT,
        file_name    TEXT,
        from_connector TEXT NOT NULL,
        from_user    TEXT NOT NULL,
        from_name    TEXT NOT NULL,
        origin_remote_id TEXT,
        state        TEXT NOT NULL,         -- queued | sending | sent | failed | unknown
        message_guid TEXT,
        error_code   TEXT,
        error_reason TEXT,
        attempts     INTEGER NOT NULL DEFAULT 0,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL
      );
      CREATE INDEX outbox_state ON outbox(state, seq);
      CREATE INDEX outbox_guid ON outbox(message_guid);

      CREATE TABLE audit (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        at          INTEGER NOT NULL,
        connector   TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        user_name   TEXT NOT NULL,
        action      TEXT NOT NULL,          -- send | send_file | denied | note …
        chat_guid   TEXT,
        detail      TEXT,
        result      TEXT NOT NULL
      );
      CREATE INDEX audit_chat ON audit(chat_guid, at);
    `);
  },
};
