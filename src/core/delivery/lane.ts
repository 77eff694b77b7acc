// One connector's delivery loop. Each connector has its own lane, so a slow or
// failing connector never holds up another. Within a lane, each chat's
// deliveries go strictly in seq order (a chat's head blocks only that chat),
// and heads of different chats are delivered concurrently.
import type { Logger } from 'pino';
import { canReconcile, type Connector } from '../connector.ts';
import type { EventEnvelope } from '../events.ts';
import type { DeliveryJournal, DueDelivery } from '../store/deliveries.ts';
import type { EventLog } from '../store/eventLog.ts';
import { backoffMs } from './backoff.ts';

export interface LaneOptions { retryBaseMs: number; retryMaxMs: number; concurrency: number }

export interface LaneStats { connector: string; delivered: number; failures: number; reconciled: number; backlog: number; lastError: string | null }

export class ConnectorLane {
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private loop: Promise<void> = Promise.resolve();
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
    w?.();
  }

  /** Stop taking new deliveries and wait for the ones in flight to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  stats(): LaneStats {
    return { connector: this.connector.id, delivered: this.delivered, failures: this.failures, reconciled: this.reconciled, backlog: this.journal.backlog(this.connector.id), lastError: this.lastError };
  }

  private async run(): Promise<void> {
    const id = this.connector.id;
    while (!this.stopped) {
      let heads: DueDelivery[] = [];
      try {
        heads = this.journal.heads(id, Date.now(), this.o.concurrency);
      } catch (err) {
        this.log.error({ err, connector: id }, 'reading the delivery journal failed');
      }
      if (heads.length === 0) {
        await this.sleep();
        continue;
      }
      await Promise.all(heads.map((h) => this.deliverOne(h)));
    }
  }

  private async deliverOne(h: DueDelivery): Promise<void> {
    const id = this.connector.id;
    const env = this.events.get(h.seq);
    if (!env) { this.journal.markDone(id, h.seq); return; }
    try {
      // Inflight at pick-up time means the process died during this delivery:
      // ask the remote side first if it can tell, rather than sending twice.
      if (h.state === 'inflight' && canReconcile(this.connector)) {
        if ((await this.connector.reconcile(env)) === 'delivered') {
          this.reconciled++;
          this.journal.markDone(id, h.seq);
          return;
        }
      }
      this.journal.markInflight(id, h.seq);
      await this.connector.deliver(env);
      this.journal.markDone(id, h.seq);
      this.delivered++;
    } catch (err) {
      this.fail(env, h, err);
    }
  }

  private fail(env: EventEnvelope, h: DueDelivery, err: unknown): void {
    this.failures++;
    const attempts = h.attempts + 1;
    const delay = backoffMs(attempts, this.o.retryBaseMs, this.o.retryMaxMs);
    this.lastError = err instanceof Error ? err.message : String(err);
    this.log.warn({ err, connector: this.connector.id, seq: env.seq, key: env.key, chat: env.chatGuid, attempts, retryInMs: delay }, 'delivery failed; will retry');
    try {
      this.journal.retryLater(this.connector.id, h.seq, Date.now() + delay, this.lastError);
    } catch (e) {
      this.log.error({ err: e, connector: this.connector.id }, 'recording a failed delivery failed');
    }
  }

  private sleep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    let due: number | null = null;
    try { due = this.journal.nextDueAt(this.connector.id); } catch { /* retried below */ }
    const ms = due === null ? 5_000 : Math.max(5, Math.min(5_000, due - Date.now()));
    return new Promise<void>((resolve) => {
      this.wakeUp = resolve;
      this.timer = setTimeout(() => { this.wakeUp = null; resolve(); }, ms);
    }).then(() => { if (this.timer) clearTimeout(this.timer); this.timer = null; });
  }
}
