// Scheduled sends: kept in the bridge database until their time, then handed
// to the one outbox as an ordinary send. They survive restarts (a send whose
// time passed while the bridge was down goes out on start). The wake-up timer
// is re-armed in bounded steps, never one long setTimeout: Node caps timers
// at ~24.8 days, and a clock change (sleep, NTP) is caught at the next step.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { BridgeDb } from '../db/bridgeDb.ts';
import type { Attribution, SendIntent, SendReceipt } from '../events.ts';
import { chatGuid } from '../../ids.ts';

export type ScheduledState = 'scheduled' | 'firing' | 'queued' | 'cancelled' | 'failed';

export interface ScheduledSend {
  id: string;
  chatGuid: string;
  text: string;
  from: Attribution;
  sendAt: number;
  state: ScheduledState;
  /** The outbox entry it became, once queued. */
  outboxId: string | null;
  error: string | null;
}

interface Row { id: string; chat_guid: string; text: string; from_connector: string; from_user: string; from_name: string; send_at: number; state: ScheduledState; outbox_id: string | null; error: string | null }

const fromRow = (r: Row): ScheduledSend => ({
  id: r.id, chatGuid: r.chat_guid, text: r.text, from: { connector: r.from_connector, userId: r.from_user, displayName: r.from_name },
  sendAt: r.send_at, state: r.state, outboxId: r.outbox_id, error: r.error,
});

/** The longest single timer; the schedule is re-checked at least this often. */
export const MAX_TIMER_MS = 60_000;

export interface ScheduledOptions {
  db: BridgeDb;
  /** Hand a due send to the outbox (the gateway's send: policy checks included). */
  enqueue: (intent: SendIntent) => Promise<SendReceipt>;
  log: Logger;
  maxTimerMs?: number;
}

export class ScheduledSends {
  private timer: NodeJS.Timeout | null = null;
  private firing: Promise<void> | null = null;
  private stopped = true;
  /** When the armed timer fires (epoch ms), for tests and metrics. */
  armedFor: number | null = null;

  constructor(private readonly o: ScheduledOptions) {}

  /** Resolve sends a crash left half-handed-over, then start the clock. */
  start(): void {
    this.stopped = false;
    const findOutbox = this.o.db.prepare('SELECT id FROM outbox WHERE origin_connector = ? AND origin_remote_id = ?').pluck();
    for (const r of this.o.db.prepare("SELECT * FROM scheduled_send WHERE state = 'firing'").all() as Row[]) {
      const outboxId = findOutbox.get(r.from_connector, r.id) as string | undefined;
      // In the outbox: it was handed over. Not there: it never left, so it may go now.
      if (outboxId) this.setState(r.id, 'queued', outboxId, null);
      else this.setState(r.id, 'scheduled', null, null);
    }
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = null;
    await this.firing;
  }

  /** Keep a send for `sendAt` (epoch ms). Durable once this returns. */
  schedule(chat: string, text: string, from: Attribution, sendAt: number): ScheduledSend {
    const id = `sch_${randomUUID()}`;
    const now = Date.now();
    this.o.db.prepare(`INSERT INTO scheduled_send (id, chat_guid, text, from_connector, from_user, from_name, send_at, state, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, ?)`).run(id, chat, text, from.connector, from.userId, from.displayName, sendAt, now, now);
    this.arm();
    return this.get(id)!;
  }

  get(id: string): ScheduledSend | null {
    const r = this.o.db.prepare('SELECT * FROM scheduled_send WHERE id = ?').get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  /** One owner's sends still waiting, soonest first; `after`: the `seq` of the last one seen. */
  pending(owner: string, limit: number, after?: { sendAt: number; seq: number }): (ScheduledSend & { seq: number })[] {
    return (this.o.db.prepare(`SELECT rowid AS seq, * FROM scheduled_send WHERE from_user = ? AND state = 'scheduled'
        AND (send_at > ? OR (send_at = ? AND rowid > ?)) ORDER BY send_at, rowid LIMIT ?`)
      .all(owner, after?.sendAt ?? -1, after?.sendAt ?? -1, after?.seq ?? -1, limit) as (Row & { seq: number })[]).map((r) => ({ ...fromRow(r), seq: r.seq }));
  }

  /** Cancel a send that is still waiting; false when it already went (or never existed). */
  cancel(id: string): boolean {
    const r = this.o.db.prepare("UPDATE scheduled_send SET state = 'cancelled', updated_at = ? WHERE id = ? AND state = 'scheduled'").run(Date.now(), id);
    if (r.changes > 0) this.arm();
    return r.changes > 0;
  }

  private setState(id: string, state: ScheduledState, outboxId: string | null, error: string | null): void {
    this.o.db.prepare('UPDATE scheduled_send SET state = ?, outbox_id = coalesce(?, outbox_id), error = ?, updated_at = ? WHERE id = ?').run(state, outboxId, error, Date.now(), id);
  }

  /** Sleep until the next send is due, or MAX_TIMER_MS, whichever is sooner. */
  private arm(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.o.db.prepare("SELECT min(send_at) FROM scheduled_send WHERE state = 'scheduled'").pluck().get() as number | null;
    if (next === null) { this.timer = null; this.armedFor = null; return; }
    const delay = Math.max(0, Math.min(next - Date.now(), this.o.maxTimerMs ?? MAX_TIMER_MS));
    this.armedFor = Date.now() + delay;
    this.timer = setTimeout(() => { this.timer = null; void this.fireDue(); }, delay);
    this.timer.unref();
  }

  private async fireDue(): Promise<void> {
    if (this.firing || this.stopped) return;
    this.firing = (async () => {
      const due = this.o.db.prepare("SELECT * FROM scheduled_send WHERE state = 'scheduled' AND send_at <= ? ORDER BY send_at, id").all(Date.now()) as Row[];
      for (const r of due) {
        if (this.stopped) break;
        // Claimed first (a cancel racing in loses), then handed over.
        if (this.o.db.prepare("UPDATE scheduled_send SET state = 'firing', updated_at = ? WHERE id = ? AND state = 'scheduled'").run(Date.now(), r.id).changes === 0) continue;
        const s = fromRow(r);
        try {
          const receipt = await this.o.enqueue({ chatGuid: chatGuid(s.chatGuid), text: s.text, from: s.from, origin: { connector: s.from.connector, remoteId: s.id } });
          this.setState(s.id, 'queued', receipt.id, null);
        } catch (err) {
          const reason = (err as Error).message;
          this.o.log.warn({ id: s.id, err: reason }, 'a scheduled send could not be queued; it is marked failed');
          this.setState(s.id, 'failed', null, reason);
        }
      }
    })().finally(() => { this.firing = null; this.arm(); });
    await this.firing;
  }
}
