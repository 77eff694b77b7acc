import type { Migration } from './index.ts';

// Chats linked or unlinked by hand, per connector, by chat identity
// (src/core/mirror/chatIdentity.ts): these win over the config's mirror rules.
export const m003Mirror: Migration = {
  version: 3,
  name: 'core: mirror overrides',
  up(db) {
    db.exec(`
      CREATE TABLE mirror_override (
        connector  TEXT NOT NULL,
        chat_key   TEXT NOT NULL,
        chat_guid  TEXT NOT NULL,
        mirrored   INTEGER NOT NULL,
        at         INTEGER NOT NULL,
        PRIMARY KEY (connector, chat_key)
      );
    `);
  },
};
