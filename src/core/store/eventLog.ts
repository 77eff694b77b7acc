// Every event once, under its idempotency key, with a monotonic seq (the SSE
// id). Re-reading chat.db after a crash or a resync finds the key and stops.
import type { BridgeDb } from '../db/bridgeDb.ts';
import type { BridgeEvent, EventEnvelope } from '../events.ts';
import type { ChatGuid } from '../../ids.ts';

interface Row { seq: number; key: string; chat_guid: string; envelope: string }
const toEnvelope = (r: Row): EventEnvelope => ({ seq: r.seq, key: r.key, chatGuid: r.chat_guid as ChatGuid, event: JSON.parse(r.envelope) as BridgeEvent });

export class EventLog {
  constructor(private readonly db: BridgeDb) {}

  /** The new envelope, or null when the key was already logged. */
  append(key: string, chat: ChatGuid, event: BridgeEvent): EventEnvelope | null {
    const r = this.db.prepare('INSERT INTO event_log (key, chat_guid, type, envelope, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING')
      .run(key, chat, event.type, JSON.stringify(event), Date.now());
    if (r.changes === 0) return null;
    return { seq: Number(r.lastInsertRowid), key, chatGuid: chat, event };
  }

  has(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM event_log WHERE key = ?').get(key) !== undefined;
  }

  /** The envelope logged under `key`, or null (never logged, or pruned): the API's replay of a chat.db row. */
  byKey(key: string): EventEnvelope | null {
    const r = this.db.prepare('SELECT * FROM event_log WHERE key = ?').get(key) as Row | undefined;
    return r ? toEnvelope(r) : null;
  }

  get(seq: number): EventEnvelope | null {
    const r = this.db.prepare('SELECT * FROM event_log WHERE seq = ?').get(seq) as Row | undefined;
    return r ? toEnvelope(r) : null;
  }

  /** Envelopes after `seq`, oldest first (SSE replay with Last-Event-ID). */
  after(seq: number, limit = 1000): EventEnvelope[] {
    return (this.db.prepare('SELECT * FROM event_log WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, limit) as Row[]).map(toEnvelope);
  }

  lastSeq(): number {
    return (this.db.prepare('SELECT coalesce(MAX(seq), 0) FROM event_log').pluck().get() as number);
  }

  /** Forget events older than `beforeMs` that no connector still has to deliver. */
  prune(beforeMs: number): number {
    return this.db.prepare(`DELETE FROM event_log WHERE created_at < ?
      AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.seq = event_log.seq AND d.state != 'done')`).run(beforeMs).changes;
  }
}
