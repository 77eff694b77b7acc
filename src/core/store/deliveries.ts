// The per-connector delivery journal: pending → inflight → done. `inflight` is
// written before the connector is called, so after a crash we know exactly
// which deliveries may or may not have reached the remote side.
import type { BridgeDb } from '../db/bridgeDb.ts';
import type { ChatGuid } from '../../ids.ts';

export interface DueDelivery { seq: number; chatGuid: ChatGuid; attempts: number; state: 'pending' | 'inflight' }

export class DeliveryJournal {
  constructor(private readonly db: BridgeDb) {}

  enqueue(connector: string, seq: number, chat: ChatGuid): void {
    this.db.prepare("INSERT OR IGNORE INTO delivery (connector, seq, chat_guid, state, updated_at) VALUES (?, ?, ?, 'pending', ?)").run(connector, seq, chat, Date.now());
  }

  /**
   * The head of each chat's queue for this connector (the oldest not-done
   * delivery), if due. Later deliveries of a chat wait for its head: order
   * within a chat is kept even while the head is backing off.
   */
  heads(connector: string, now: number, limit: number): DueDelivery[] {
    return this.db.prepare(`SELECT d.seq, d.chat_guid AS chatGuid, d.attempts, d.state FROM delivery d
      WHERE d.connector = ? AND d.state != 'done' AND d.next_at <= ?
        AND d.seq = (SELECT MIN(seq) FROM delivery h WHERE h.connector = d.connector AND h.chat_guid = d.chat_guid AND h.state != 'done')
      ORDER BY d.seq LIMIT ?`).all(connector, now, limit) as DueDelivery[];
  }

  /** Deliveries that were inflight when the process died. */
  inflight(connector: string): DueDelivery[] {
    return this.db.prepare("SELECT seq, chat_guid AS chatGuid, attempts, state FROM delivery WHERE connector = ? AND state = 'inflight' ORDER BY seq").all(connector) as DueDelivery[];
  }

  markInflight(connector: string, seq: number): void {
    this.db.prepare("UPDATE delivery SET state = 'inflight', attempts = attempts + 1, updated_at = ? WHERE connector = ? AND seq = ?").run(Date.now(), connector, seq);
  }

  markDone(connector: string, seq: number): void {
    this.db.prepare("UPDATE delivery SET state = 'done', last_error = NULL, updated_at = ? WHERE connector = ? AND seq = ?").run(Date.now(), connector, seq);
  }

  /** Back to pending, not before `nextAt`. */
  retryLater(connector: string, seq: number, nextAt: number, error: string): void {
    this.db.prepare("UPDATE delivery SET state = 'pending', next_at = ?, last_error = ?, updated_at = ? WHERE connector = ? AND seq = ?").run(nextAt, error.slice(0, 2000), Date.now(), connector, seq);
  }

  /** Still inflight (it may have landed: reconcile first), tried again not before `nextAt`. */
  retryInflightLater(connector: string, seq: number, nextAt: number, error: string): void {
    this.db.prepare("UPDATE delivery SET state = 'inflight', next_at = ?, last_error = ?, updated_at = ? WHERE connector = ? AND seq = ?").run(nextAt, error.slice(0, 2000), Date.now(), connector, seq);
  }

  backlog(connector: string): number {
    return this.db.prepare("SELECT count(*) FROM delivery WHERE connector = ? AND state != 'done'").pluck().get(connector) as number;
  }

  /** Earliest next_at among waiting deliveries (to sleep until then). */
  nextDueAt(connector: string): number | null {
    return (this.db.prepare("SELECT MIN(next_at) FROM delivery WHERE connector = ? AND state != 'done'").pluck().get(connector) as number | null) ?? null;
  }

  /** Earliest next_at among the chat heads, leaving out `except` (chats being delivered to right now). */
  nextHeadDueAt(connector: string, except: string[]): number | null {
    return (this.db.prepare(`SELECT MIN(d.next_at) FROM delivery d
      WHERE d.connector = ? AND d.state != 'done' AND d.chat_guid NOT IN (SELECT value FROM json_each(?))
        AND d.seq = (SELECT MIN(seq) FROM delivery h WHERE h.connector = d.connector AND h.chat_guid = d.chat_guid AND h.state != 'done')`)
      .pluck().get(connector, JSON.stringify(except)) as number | null) ?? null;
  }

  pruneDone(beforeMs: number): number {
    return this.db.prepare("DELETE FROM delivery WHERE state = 'done' AND updated_at < ?").run(beforeMs).changes;
  }
}
