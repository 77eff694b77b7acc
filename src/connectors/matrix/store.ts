// The connector's own tables (migrations.ts, 030): the durable inbound queue, seen
// appservice transactions, current tapback reactions, and small state values.
// It works through the kit's storage, which refuses any table but matrix_*.
import type { ConnectorStorage } from '../../core/kit/index.ts';

export interface MatrixEvent {
  event_id: string;
  room_id: string;
  type: string;
  sender: string;
  state_key?: string;
  content: Record<string, unknown>;
  origin_server_ts?: number;
  unsigned?: Record<string, unknown>;
  redacts?: string;
}

export interface QueuedEvent { id: number; event: MatrixEvent; attempts: number }

export class MatrixStore {
  constructor(private readonly db: ConnectorStorage) {}

  /** Queue events (duplicates by event id ignored); returns how many were new. */
  enqueue(events: MatrixEvent[]): number {
    const ins = this.db.prepare('INSERT OR IGNORE INTO matrix_inbound (event_id, room_id, event, received_at) VALUES (?, ?, ?, ?)');
    let n = 0;
    for (const e of events) n += ins.run(e.event_id, e.room_id, JSON.stringify(e), Date.now()).changes;
    return n;
  }

  /**
   * An appservice transaction, queued atomically with its id. Returns false
   * when the id was already seen (a replay: acknowledge, do nothing).
   */
  acceptTransaction(txnId: string, events: MatrixEvent[]): boolean {
    return this.db.transaction(() => {
      const seen = this.db.prepare('SELECT 1 FROM matrix_txn WHERE txn_id = ?').get(txnId);
      if (seen) return false;
      this.enqueue(events);
      this.db.prepare('INSERT INTO matrix_txn (txn_id, events, received_at) VALUES (?, ?, ?)').run(txnId, events.length, Date.now());
      return true;
    })();
  }

  /** Bot mode: queue a sync batch and move the token in one transaction. */
  acceptSync(events: MatrixEvent[], nextBatch: string): void {
    this.db.transaction(() => {
      this.enqueue(events);
      this.set('sync_token', nextBatch);
    })();
  }

  /** The oldest pending events, skipping rooms that are waiting for a retry. */
  pending(limit = 50, skipRooms: string[] = []): QueuedEvent[] {
    const skip = skipRooms.length ? `AND room_id NOT IN (${skipRooms.map(() => '?').join(', ')})` : '';
    const rows = this.db.prepare(`SELECT id, event, attempts FROM matrix_inbound WHERE state = 'pending' ${skip} ORDER BY id LIMIT ?`).all(...skipRooms, limit) as Array<{ id: number; event: string; attempts: number }>;
    return rows.map((r) => ({ id: r.id, event: JSON.parse(r.event) as MatrixEvent, attempts: r.attempts }));
  }

  /** Whether any of these events was already queued (bot-mode catch-up stops there). */
  seenAny(eventIds: string[]): boolean {
    const q = this.db.prepare('SELECT 1 FROM matrix_inbound WHERE event_id = ?').pluck();
    return eventIds.some((id) => q.get(id) !== undefined);
  }

  /**
   * Forget handled events and transaction ids older than `doneMaxAgeMs`
   * (failed ones after `failedMaxAgeMs`, kept longer for diagnosis).
   */
  prune(doneMaxAgeMs: number, failedMaxAgeMs: number, now = Date.now()): { inbound: number; txns: number } {
    return this.db.transaction(() => ({
      inbound: this.db.prepare("DELETE FROM matrix_inbound WHERE (state = 'done' AND received_at < ?) OR (state = 'failed' AND received_at < ?)").run(now - doneMaxAgeMs, now - failedMaxAgeMs).changes,
      txns: this.db.prepare('DELETE FROM matrix_txn WHERE received_at < ?').run(now - doneMaxAgeMs).changes,
    }))();
  }

  finish(id: number, state: 'done' | 'failed', error?: string): void {
    this.db.prepare('UPDATE matrix_inbound SET state = ?, last_error = ?, attempts = attempts + 1 WHERE id = ?').run(state, error ?? null, id);
  }

  retryLater(id: number, error: string): void {
    this.db.prepare('UPDATE matrix_inbound SET attempts = attempts + 1, last_error = ? WHERE id = ?').run(error, id);
  }

  roomOfEvent(eventId: string): string | null {
    return (this.db.prepare('SELECT room_id FROM matrix_inbound WHERE event_id = ?').pluck().get(eventId) as string | undefined) ?? null;
  }

  transactionCount(): number {
    return this.db.prepare('SELECT COUNT(*) FROM matrix_txn').pluck().get() as number;
  }

  get(key: string): string | null {
    return (this.db.prepare('SELECT value FROM matrix_state WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }

  set(key: string, value: string): void {
    this.db.prepare('INSERT INTO matrix_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  reaction(targetGuid: string, part: number, sender: string): { key: string; roomId: string; eventId: string } | null {
    const r = this.db.prepare('SELECT reaction_key, room_id, event_id FROM matrix_reaction WHERE target_guid = ? AND part = ? AND sender = ?').get(targetGuid, part, sender) as { reaction_key: string; room_id: string; event_id: string } | undefined;
    return r ? { key: r.reaction_key, roomId: r.room_id, eventId: r.event_id } : null;
  }

  setReaction(targetGuid: string, part: number, sender: string, v: { key: string; roomId: string; eventId: string } | null): void {
    if (!v) {
      this.db.prepare('DELETE FROM matrix_reaction WHERE target_guid = ? AND part = ? AND sender = ?').run(targetGuid, part, sender);
      return;
    }
    this.db.prepare(`INSERT INTO matrix_reaction (target_guid, part, sender, reaction_key, room_id, event_id) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (target_guid, part, sender) DO UPDATE SET reaction_key = excluded.reaction_key, room_id = excluded.room_id, event_id = excluded.event_id`)
      .run(targetGuid, part, sender, v.key, v.roomId, v.eventId);
  }
}
