// The Discord connector's own migrations, applied by the core when the
// connector opens its kit. Migration 020 is history: its tables were folded
// into the core by 021/022 (core migrations, since they write core tables),
// which run right after it on a database that never had Discord configured.
// Discord keeps no table of its own today; 020 stays so an old database and
// a new one end in the same state, and so its number is never reused.
import type { ConnectorMigration } from '../../core/kit/index.ts';

// 020: the Discord connector's own state (then): which Discord messages went to iMessage
// (fate reactions, and the notice when someone edits or deletes one later),
// who was already told they may not send, and chats unlinked on purpose (so
// auto-mirroring doesn't recreate them).
const m020Discord: ConnectorMigration = {
  version: 20,
  name: 'discord: outbound origins, denial notices, unlinked chats',
  up(storage) {
    storage.exec(`
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

export const discordMigrations: readonly ConnectorMigration[] = [m020Discord];
