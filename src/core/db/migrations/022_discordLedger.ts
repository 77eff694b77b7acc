import { chatKey } from '../../mirror/chatIdentity.ts';
import type { Migration } from './index.ts';

// Discord's private send ledger (discord_origin) and its "told once" list move
// into the core: the channel of each origin goes onto its outbox row, the
// last fate it showed becomes the row's reported stage, and each notice
// becomes a core denial notice for the channel's chat.
export const m022DiscordLedger: Migration = {
  version: 22,
  name: 'discord: send ledger and denial notices move into the core outbox',
  // Only where Discord's migration 020 made its tables (an old database, or Discord just configured).
  applies: (db) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'discord_origin'").get() !== undefined,
  up(db) {
    const stage = (s: string): string | null => (s === 'new' ? null : s === 'queued' || s === 'sending' ? 'pending' : s);
    const setRoom = db.prepare('UPDATE outbox SET origin_room = ?, reported_state = ? WHERE id = ?');
    for (const r of db.prepare('SELECT outbox_id, channel_id, state FROM discord_origin').all() as { outbox_id: string; channel_id: string; state: string }[]) {
      setRoom.run(r.channel_id, stage(r.state), r.outbox_id);
    }
    const chatOf = db.prepare("SELECT chat_guid FROM portal WHERE connector = 'discord' AND remote_id = ?").pluck();
    const told = db.prepare('INSERT OR IGNORE INTO send_denial_notice (connector, chat_key, user_id, at) VALUES (?, ?, ?, ?)');
    for (const r of db.prepare('SELECT channel_id, user_id, at FROM discord_denied_notice').all() as { channel_id: string; user_id: string; at: number }[]) {
      const chat = chatOf.get(r.channel_id) as string | undefined;
      if (chat) told.run('discord', chatKey(chat), r.user_id, r.at);
    }
    db.exec('DROP TABLE discord_origin; DROP TABLE discord_denied_notice;');
  },
};
