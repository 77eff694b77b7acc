// One connector's delivery loop. Each connector has its own lane, so a slow or
// failing connector never holds up another. Within a lane, each chat's
// deliveries go strictly in seq order, and each chat advances on its own: a
// chat whose head is slow (or hung) holds up only that chat. A delivery that
// takes longer than the timeout is left `inflight` (it may still land) and
// tried again later, reconciled first where the connector can tell.
import type { Logger } from 'pino';
import { canReconcile, type Connector } from '../connector.ts';
import type { EventEnvelope } from '../events.ts';
import type { DeliveryJournal, DueDelivery } from '../store/deliveries.ts';
import type { EventLog } from '../store/eventLog.ts';
import { backoffMs } from './backoff.ts';
import { NotYet } from './notYet.ts';

export interface LaneOptions {
  retryBaseMs: number;
  retryMaxMs: number;
  /** Chats delivered to at the same time. */
  concurrency: number;
  /** A `deliver` (or `reconcile`) running longer than this counts as failed, and is retried. */
  deliveryTimeoutMs?: number;
  /** `stop()` waits at most this long for deliveries in flight. */
  stopTimeoutMs?: number;
}

export interface LaneStats { connector: string; delivered: number; failures: number; reconciled: number; backlog: number; lastError: string | null }

class DeliveryTimeout extends Error {
  constructor(readonly ms: number) { super(`the connector did not finish this delivery within ${Math.round(ms / 1000)} s`); }
}

/** After a bridge-database error, the chat rests this long (a failing db must not spin the loop). */
const DB_ERROR_PAUSE_MS = 1_000;

export class ConnectorLane {
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> = Promise.resolve();
  /** The delivery running for each chat. */
  private readonly active = new Map<string, Promise<void>>();
  private readonly pausedUntil = new Map<string, number>();
  private delivered = 0;
  private failures = 0;
  private reconciled = 0;
  private lastError: string | null = null;

  constructor(
    readonly connector: Connector,
    private readonly journal: DeliveryJournal,
    private readonly events: EventLog,
    private readonly log: Logger,
    private readonly o: LaneOptions,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** New work may be due. */
  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    if (w) w(); else this.woken = true;
  }

  /** Stop taking new deliveries and wait (a bounded time) for the ones in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
    const limit = this.o.stopTimeoutMs ?? 3_000;
    let timer: NodeJS.Timeout | null = null;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), limit); });
    const res = await Promise.race([Promise.all(this.active.values()).then(() => 'done' as const), late]);
    if (timer) clearTimeout(timer);
    if (res === 'late') this.log.warn({ connector: this.connector.id, inFlight: this.active.size, waitedMs: limit }, 'deliveries still running at shutdown; they stay inflight and are reconciled or retried at the next start');
  }

  stats(): LaneStats {
    return { connector: this.connector.id, delivered: this.delivered, failures: this.failures, reconciled: this.reconciled, backlog: this.journal.backlog(this.connector.id), lastError: this.lastError };
  }

  private async run(): Promise<void> {
    const id = this.connector.id;
    while (!this.stopped) {
      const free = this.o.concurrency - this.active.size;
      if (free > 0) {
        let heads: DueDelivery[] = [];
        try {
          // Busy chats' heads come back too: ask for enough to fill the free slots.
          heads = this.journal.heads(id, Date.now(), this.o.concurrency + this.active.size);
        } catch (err) {
          this.log.error({ err, connector: id }, 'reading the delivery journal failed');
        }
        const now = Date.now();
        for (const h of heads.filter((x) => !this.active.has(x.chatGuid) && (this.pausedUntil.get(x.chatGuid) ?? 0) <= now).slice(0, free)) {
          const p = this.deliverOne(h)
            .catch((err: unknown) => this.log.error({ err, connector: id, seq: h.seq }, 'delivery bookkeeping failed'))
            .finally(() => { this.active.delete(h.chatGuid); this.wake(); });
          this.active.set(h.chatGuid, p);
        }
      }
      await this.sleep();
    }
  }

  private async deliverOne(h: DueDelivery): Promise<void> {
    const id = this.connector.id;
    let env: EventEnvelope | null = null;
    try {
      env = this.events.get(h.seq);
      if (!env) { this.journal.markDone(id, h.seq); return; }
      // Inflight at pick-up time means the process died (or the delivery timed
      // out) during this delivery: ask the remote side first if it can tell.
      if (h.state === 'inflight' && canReconcile(this.connector)) {
        const c = this.connector;
        const e = env;
        if ((await this.bounded(() => c.reconcile(e))) === 'delivered') {
          this.reconciled++;
          this.journal.markDone(id, h.seq);
          return;
        }
      }
      this.journal.markInflight(id, h.seq);
      const e = env;
      await this.bounded(() => this.connector.deliver(e));
      this.journal.markDone(id, h.seq);
      this.delivered++;
    } catch (err) {
      if (env) this.fail(env, h, err);
      else {
        this.log.error({ err, connector: id, seq: h.seq }, 'reading the event to deliver failed; retrying shortly');
        this.pausedUntil.set(h.chatGuid, Date.now() + DB_ERROR_PAUSE_MS);
      }
    }
  }

  private bounded<T>(fn: () => Promise<T>): Promise<T> {
    const ms = this.o.deliveryTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | null = null;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new DeliveryTimeout(ms)), ms); });
    return Promise.race([fn(), timeout]).finally(() => { if (timer) clearTimeout(timer); });
  }

  private fail(env: EventEnvelope, h: DueDelivery, err: unknown): void {
    if (err instanceof NotYet) { this.journal.retryLater(this.connector.id, h.seq, err.at, err.message); return; }
    this.failures++;
    const attempts = h.attempts + 1;
    const delay = backoffMs(attempts, this.o.retryBaseMs, this.o.retryMaxMs);
    this.lastError = err instanceof Error ? err.message : String(err);
    this.log.warn({ err, connector: this.connector.id, seq: env.seq, key: env.key, chat: env.chatGuid, attempts, retryInMs: delay }, 'delivery failed; will retry');
    try {
      // A timed-out delivery may still land: it stays inflight, so the retry reconciles first.
      if (err instanceof DeliveryTimeout) this.journal.retryInflightLater(this.connector.id, h.seq, Date.now() + delay, this.lastError);
      else this.journal.retryLater(this.connector.id, h.seq, Date.now() + delay, this.lastError);
    } catch (e) {
      this.log.error({ err: e, connector: this.connector.id }, 'recording a failed delivery failed');
      this.pausedUntil.set(h.chatGuid, Date.now() + DB_ERROR_PAUSE_MS);
    }
  }

  /** Until woken (new work, a delivery finished), the next head is due, or a paused chat may go on. */
  private sleep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.woken) { this.woken = false; return Promise.resolve(); }
    const now = Date.now();
    for (const [chat, until] of this.pausedUntil) if (until <= now) this.pausedUntil.delete(chat);
    let due: number | null = null;
    // Busy chats' heads are due by definition; a finishing delivery wakes the loop for them.
    try { due = this.journal.nextHeadDueAt(this.connector.id, [...this.active.keys(), ...this.pausedUntil.keys()]); } catch { due = now + DB_ERROR_PAUSE_MS; }
    for (const until of this.pausedUntil.values()) due = due === null ? until : Math.min(due, until);
    const ms = due === null ? 5_000 : Math.max(5, Math.min(5_000, due - now));
    return new Promise<void>((resolve) => {
      this.wakeUp = resolve;
      this.timer = setTimeout(() => { this.wakeUp = null; resolve(); }, ms);
    }).then(() => { if (this.timer) clearTimeout(this.timer); this.timer = null; });
  }
}
