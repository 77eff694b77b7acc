// The Discord connector's rows in the bridge database (migration 020): which
// Discord messages were handed to the outbox, who was told they may not send,
// and which chats were unlinked on purpose.
import type { BridgeDb } from '../../core/db/bridgeDb.ts';

export interface Origin { outboxId: string; messageId: string; channelId: string; chatGuid: string; state: string }
interface OriginRow { outbox_id: string; message_id: string; channel_id: string; chat_guid: string; state: string }
const toOrigin = (r: OriginRow): Origin => ({ outboxId: r.outbox_id, messageId: r.message_id, channelId: r.channel_id, chatGuid: r.chat_guid, state: r.state });

const RANK: Record<string, number> = { new: 0, queued: 1, sending: 2, sent: 3, failed: 3, unknown: 3 };
const rank = (s: string): number => RANK[s] ?? 0;

export class ConnectorState {
  constructor(private readonly db: BridgeDb) {}

  recordOrigin(o: Origin): void {
    this.db.prepare(`INSERT INTO discord_origin (outbox_id, message_id, channel_id, chat_guid, state, created_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (outbox_id) DO NOTHING`).run(o.outboxId, o.messageId, o.channelId, o.chatGuid, o.state, Date.now());
  }

  /**
   * Move a send forward to `state`; null when the origin is unknown. Fates only
   * advance (a late "queued" never undoes "sent"), so each is shown once.
   */
  setOriginState(outboxId: string, state: string): { previous: string; advanced: boolean; origin: Origin } | null {
    const r = this.db.prepare('SELECT * FROM discord_origin WHERE outbox_id = ?').get(outboxId) as OriginRow | undefined;
    if (!r) return null;
    const advanced = rank(state) > rank(r.state);
    if (advanced) this.db.prepare('UPDATE discord_origin SET state = ? WHERE outbox_id = ?').run(state, outboxId);
    return { previous: r.state, advanced, origin: toOrigin(r) };
  }

  originsOfMessage(messageId: string): Origin[] {
    return (this.db.prepare('SELECT * FROM discord_origin WHERE message_id = ?').all(messageId) as OriginRow[]).map(toOrigin);
  }

  /** True the first time a user is denied in a channel; false afterwards. */
  firstDenial(channelId: string, userId: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO discord_denied_notice (channel_id, user_id, at) VALUES (?, ?, ?)').run(channelId, userId, Date.now()).changes > 0;
  }


  /** Audit rows the core doesn't write: internal notes and denied attempts. */
  audit(entry: { userId: string; userName: string; action: 'note' | 'denied'; chatGuid: string | null; detail: string }): void {
    this.db.prepare('INSERT INTO audit (at, connector, user_id, user_name, action, chat_guid, detail, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(Date.now(), 'discord', entry.userId, entry.userName, entry.action, entry.chatGuid, entry.detail, entry.action === 'denied' ? 'refused' : 'kept');
  }
}
