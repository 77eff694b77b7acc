import { chatKey } from '../../mirror/chatIdentity.ts';
import type { Migration } from './index.ts';

// Discord kept its own unlinked list and mirrored any chat that had a
// channel. The core's mirror overrides now hold both, so an upgraded bridge
// keeps every channel it had and recreates none it was told to drop.
export const m021DiscordMirror: Migration = {
  version: 21,
  name: 'discord: unlinked chats and existing channels become core mirror overrides',
  // Only where Discord's migration 020 made its tables (an old database, or Discord just configured).
  applies: (db) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'discord_unlinked'").get() !== undefined,
  up(db) {
    const put = db.prepare('INSERT OR REPLACE INTO mirror_override (connector, chat_key, chat_guid, mirrored, at) VALUES (?, ?, ?, ?, ?)');
    for (const guid of db.prepare("SELECT chat_guid FROM portal WHERE connector = 'discord'").pluck().all() as string[]) put.run('discord', chatKey(guid), guid, 1, Date.now());
    for (const guid of db.prepare('SELECT chat_guid FROM discord_unlinked').pluck().all() as string[]) put.run('discord', chatKey(guid), guid, 0, Date.now());
    db.exec('DROP TABLE discord_unlinked');
  },
};
