// Chats a connector's users linked or unlinked by hand (`/imessage link`,
// `unlink`, `new`): they win over the config rules, by chat identity, so an
// unlinked chat is never recreated by `auto_mirror` under another guid.
import type { BridgeDb } from '../db/bridgeDb.ts';
import { chatKey } from './chatIdentity.ts';

export class MirrorOverrides {
  private readonly cache = new Map<string, boolean>();

  constructor(private readonly db: BridgeDb, private readonly region = 'US') {
    const rows = db.prepare('SELECT connector, chat_key, mirrored FROM mirror_override').all() as Array<{ connector: string; chat_key: string; mirrored: number }>;
    for (const r of rows) this.cache.set(`${r.connector}\n${r.chat_key}`, r.mirrored === 1);
  }

  /** true/false when set by hand, null when the config rules decide. */
  get(connector: string, chat: string): boolean | null {
    return this.cache.get(`${connector}\n${chatKey(chat, this.region)}`) ?? null;
  }

  set(connector: string, chat: string, mirrored: boolean): void {
    const key = chatKey(chat, this.region);
    this.db.prepare(`INSERT INTO mirror_override (connector, chat_key, chat_guid, mirrored, at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (connector, chat_key) DO UPDATE SET chat_guid = excluded.chat_guid, mirrored = excluded.mirrored, at = excluded.at`)
      .run(connector, key, chat, mirrored ? 1 : 0, Date.now());
    this.cache.set(`${connector}\n${key}`, mirrored);
  }
}
