// Who sent what, from where, when, and with what result.
import type { BridgeDb } from '../db/bridgeDb.ts';

export interface AuditEntry {
  connector: string;
  userId: string;
  userName: string;
  action: string;
  chatGuid: string | null;
  detail?: Record<string, unknown>;
  result: string;
}

export interface AuditRow extends AuditEntry { id: number; at: number }

export class AuditLog {
  constructor(private readonly db: BridgeDb) {}

  record(e: AuditEntry): void {
    this.db.prepare('INSERT INTO audit (at, connector, user_id, user_name, action, chat_guid, detail, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(Date.now(), e.connector, e.userId, e.userName, e.action, e.chatGuid, e.detail ? JSON.stringify(e.detail) : null, e.result);
  }

  recent(limit = 100): AuditRow[] {
    const rows = this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit) as { id: number; at: number; connector: string; user_id: string; user_name: string; action: string; chat_guid: string | null; detail: string | null; result: string }[];
    return rows.map((r) => ({
      id: r.id, at: r.at, connector: r.connector, userId: r.user_id, userName: r.user_name, action: r.action, chatGuid: r.chat_guid,
      ...(r.detail ? { detail: JSON.parse(r.detail) as Record<string, unknown> } : {}), result: r.result,
    }));
  }
}
