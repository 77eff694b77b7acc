// The durable outbox table. States: queued → sending → sent | failed | unknown.
import { randomUUID } from 'node:crypto';
import type { BridgeDb } from '../db/bridgeDb.ts';
import type { FateStage, SendFate, SendIntent, SendOrigin, SendReceipt } from '../events.ts';
import { chatGuid, messageGuid, outboxId, type OutboxId } from '../../ids.ts';

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed' | 'unknown';

export interface OutboxEntry {
  id: OutboxId;
  seq: number;
  intent: SendIntent;
  state: OutboxState;
  messageGuid: string | null;
  errorCode: string | null;
  errorReason: string | null;
  attempts: number;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
}

interface Row {
  id: string; seq: number; chat_guid: string; text: string | null; file_path: string | null; file_name: string | null;
  from_connector: string; from_user: string; from_name: string; origin_connector: string | null; origin_remote_id: string | null;
  origin_part: number; origin_room: string | null; file_owned: number;
  state: OutboxState; message_guid: string | null; error_code: string | null; error_reason: string | null; attempts: number;
  created_at: number; updated_at: number; sent_at: number | null;
}

function toEntry(r: Row): OutboxEntry {
  const intent: SendIntent = { chatGuid: chatGuid(r.chat_guid), from: { connector: r.from_connector, userId: r.from_user, displayName: r.from_name } };
  if (r.text !== null) intent.text = r.text;
  if (r.file_path !== null) intent.file = { path: r.file_path, name: r.file_name ?? '', ...(r.file_owned ? { owned: true } : {}) };
  if (r.origin_remote_id !== null) {
    intent.origin = { connector: r.origin_connector ?? r.from_connector, remoteId: r.origin_remote_id, ...(r.origin_part ? { part: r.origin_part } : {}), ...(r.origin_room !== null ? { room: r.origin_room } : {}) };
  }
  return {
    id: outboxId(r.id), seq: r.seq, intent, state: r.state, messageGuid: r.message_guid, errorCode: r.error_code, errorReason: r.error_reason,
    attempts: r.attempts, createdAt: r.created_at, updatedAt: r.updated_at, sentAt: r.sent_at,
  };
}

export function fateOf(e: OutboxEntry): SendFate {
  switch (e.state) {
    case 'sent': return { state: 'sent', messageGuid: messageGuid(e.messageGuid ?? '') };
    case 'failed': return { state: 'failed', code: e.errorCode ?? 'unknown', reason: e.errorReason ?? '' };
    case 'unknown': return { state: 'unknown', reason: e.errorReason ?? '' };
    default: return { state: e.state };
  }
}

export const receiptOf = (e: OutboxEntry): SendReceipt => ({ id: e.id, intent: e.intent, fate: fateOf(e) });

export class OutboxStore {
  constructor(private readonly db: BridgeDb) {}

  insert(intent: SendIntent): OutboxEntry {
    const id = randomUUID();
    const now = Date.now();
    const o = intent.origin;
    this.db.prepare(`INSERT INTO outbox (id, seq, chat_guid, text, file_path, file_name, file_owned, from_connector, from_user, from_name,
        origin_connector, origin_remote_id, origin_part, origin_room, state, created_at, updated_at)
      VALUES (?, (SELECT coalesce(MAX(seq), 0) + 1 FROM outbox), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`)
      .run(id, intent.chatGuid, intent.text ?? null, intent.file?.path ?? null, intent.file?.name ?? null, intent.file?.owned ? 1 : 0, intent.from.connector, intent.from.userId,
        intent.from.displayName, o?.connector ?? null, o?.remoteId ?? null, o?.part ?? 0, o?.room ?? null, now, now);
    return this.get(outboxId(id))!;
  }

  /** The entry this exact origin (connector, remote message, part) already became, if any. */
  byOrigin(o: SendOrigin): OutboxEntry | null {
    const r = this.db.prepare('SELECT * FROM outbox WHERE origin_connector = ? AND origin_remote_id = ? AND origin_part = ?').get(o.connector, o.remoteId, o.part ?? 0) as Row | undefined;
    return r ? toEntry(r) : null;
  }

  /** Every entry made from one remote message, oldest first. */
  fromOrigin(o: Pick<SendOrigin, 'connector' | 'remoteId'>): OutboxEntry[] {
    return (this.db.prepare('SELECT * FROM outbox WHERE origin_connector = ? AND origin_remote_id = ? ORDER BY seq').all(o.connector, o.remoteId) as Row[]).map(toEntry);
  }

  /**
   * Record that `stage` is being shown to the origin. False when it already
   * was, or when it is "pending" after anything was shown (a retry): each
   * stage reaches the origin once.
   */
  markReported(id: OutboxId, stage: FateStage): boolean {
    return this.db.prepare(`UPDATE outbox SET reported_state = ? WHERE id = ? AND reported_state IS NOT ?
      AND NOT (? = 'pending' AND reported_state IS NOT NULL)`).run(stage, id, stage, stage).changes > 0;
  }

  /** Files of sends not yet final (queued or sending). */
  filesInUse(): string[] {
    return this.db.prepare("SELECT file_path FROM outbox WHERE state IN ('queued', 'sending') AND file_path IS NOT NULL").pluck().all() as string[];
  }

  /** Entries per state that isn't `sent` (those pile up), for status and metrics. */
  counts(): Record<Exclude<OutboxState, 'sent'>, number> {
    const out = { queued: 0, sending: 0, failed: 0, unknown: 0 };
    const rows = this.db.prepare("SELECT state, count(*) AS n FROM outbox WHERE state IN ('queued', 'sending', 'unknown', 'failed') GROUP BY state").all() as { state: keyof typeof out; n: number }[];
    for (const r of rows) out[r.state] = r.n;
    return out;
  }

  get(id: OutboxId | string): OutboxEntry | null {
    const r = this.db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as Row | undefined;
    return r ? toEntry(r) : null;
  }

  byGuid(guid: string): OutboxEntry | null {
    const r = this.db.prepare('SELECT * FROM outbox WHERE message_guid = ? ORDER BY seq LIMIT 1').get(guid) as Row | undefined;
    return r ? toEntry(r) : null;
  }

  inState(states: OutboxState[], limit = 1000): OutboxEntry[] {
    return (this.db.prepare(`SELECT * FROM outbox WHERE state IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?`).all(JSON.stringify(states), limit) as Row[]).map(toEntry);
  }

  /** Entries that could still be confirmed by a row: sending, or turned unknown recently. */
  awaitingConfirmation(sinceMs: number): OutboxEntry[] {
    return (this.db.prepare(`SELECT * FROM outbox WHERE state = 'sending' OR (state = 'unknown' AND updated_at >= ?) ORDER BY seq`).all(sinceMs) as Row[]).map(toEntry);
  }

  /** Sent recently with both text and file (two rows in Messages; the second is attributed too). */
  recentlySentWithFile(sinceMs: number): OutboxEntry[] {
    return (this.db.prepare(`SELECT * FROM outbox WHERE state = 'sent' AND file_path IS NOT NULL AND text IS NOT NULL AND updated_at >= ? ORDER BY seq`).all(sinceMs) as Row[]).map(toEntry);
  }

  update(id: OutboxId, patch: { state: OutboxState; messageGuid?: string | null; errorCode?: string | null; errorReason?: string | null; attempts?: number; sentAt?: number | null }): OutboxEntry {
    const now = Date.now();
    const cur = this.get(id);
    if (!cur) throw new Error(`outbox entry ${id} vanished`);
    this.db.prepare('UPDATE outbox SET state = ?, message_guid = ?, error_code = ?, error_reason = ?, attempts = ?, sent_at = ?, updated_at = ? WHERE id = ?')
      .run(patch.state, patch.messageGuid !== undefined ? patch.messageGuid : cur.messageGuid, patch.errorCode !== undefined ? patch.errorCode : cur.errorCode,
        patch.errorReason !== undefined ? patch.errorReason : cur.errorReason, patch.attempts ?? cur.attempts, patch.sentAt !== undefined ? patch.sentAt : cur.sentAt, now, id);
    return this.get(id)!;
  }
}
