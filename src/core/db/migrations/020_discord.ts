import type { Migration } from './index.ts';

// The Discord connector's own state: which Discord messages went to iMessage
// (fate reactions, and the notice when someone edits or deletes one later),
// who was already told they may not send, and chats unlinked on purpose (so
// auto-mirroring doesn't recreate them).
export const m020Discord: Migration = {
  version: 20,
  name: 'discord: outbound origins, denial notices, unlinked chats',
  up(db) {
    db.exec(`
      CREATE TABLE discord_origin (
        outbox_id   TEXT PRIMARY KEY,
        message_id  TEXT NOT NULL,
        channel_id  TEXT NOT NULL,
        chat_guid   TEXT NOT NULL,
        state       TEXT NOT NULL,          -- queued | sending | sent | failed | unknown
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX discord_origin_message ON discord_origin(message_id);

      CREATE TABLE discord_denied_notice (
        channel_id  TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        at          INTEGER NOT NULL,
        PRIMARY KEY (channel_id, user_id)
      );

      CREATE TABLE discord_unlinked (
        chat_guid   TEXT PRIMARY KEY,
        at          INTEGER NOT NULL
      );
    `);
  },
};
