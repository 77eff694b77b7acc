// Drains the durable inbound queue, in order within each room. A failure the
// homeserver caused (unreachable, 5xx, 429) is retried with capped backoff for
// as long as it takes: the event stays queued across restarts. Only a
// permanent failure (another 4xx, bad input) parks the event, and the user is
// told in the room. A room waiting on a retry never holds up other rooms.
import type { Logger } from 'pino';
import type { MatrixEvent, MatrixStore, QueuedEvent } from './store.ts';
import { reasonOf, retryability } from './errors.ts';

export interface InboundWorkerOptions {
  /** First retry delay; doubles per attempt up to capMs. */
  baseMs?: number;
  capMs?: number;
  /** Failures of unknown kind (likely a bug) park the event after this many attempts. */
  maxUnknownAttempts?: number;
  /** Tell the user an event was given up on (best effort). */
  onParked?: (ev: MatrixEvent, reason: string) => Promise<void>;
  /** How often to look for work when nothing wakes the worker. */
  idleMs?: number;
}

export class InboundWorker {
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private kick: (() => void) | null = null;
  private idle: Promise<void> = Promise.resolve();
  /** Rooms waiting for a retry: room id → earliest next attempt (ms). */
  private readonly notBefore = new Map<string, number>();
  private readonly o: Required<Omit<InboundWorkerOptions, 'onParked'>> & Pick<InboundWorkerOptions, 'onParked'>;

  constructor(private readonly store: MatrixStore, private readonly handle: (e: MatrixEvent) => Promise<void>, private readonly log: Logger, options: InboundWorkerOptions = {}) {
    this.o = { baseMs: 500, capMs: 60_000, maxUnknownAttempts: 8, idleMs: 5_000, ...options };
  }

  start(): void {
    this.stopped = false;
    this.idle = this.loop();
  }

  /** New events were queued: process them now. */
  wake(): void {
    this.kick?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    if (this.timer) clearTimeout(this.timer);
    await this.idle;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const now = Date.now();
      for (const [room, t] of this.notBefore) if (t <= now) this.notBefore.delete(room);
      const batch = this.store.pending(50, [...this.notBefore.keys()]);
      let progressed = false;
      for (const q of batch) {
        if (this.stopped) break;
        // An earlier event of this room failed in this batch: keep the room's order.
        if (this.notBefore.has(q.event.room_id)) continue;
        if (await this.process(q)) progressed = true;
      }
      if (this.stopped) break;
      if (progressed) continue;
      const next = Math.min(...this.notBefore.values());
      const wait = Number.isFinite(next) ? Math.max(10, next - Date.now()) : this.o.idleMs;
      await new Promise<void>((resolve) => {
        this.kick = () => { this.kick = null; if (this.timer) clearTimeout(this.timer); resolve(); };
        this.timer = setTimeout(() => this.kick?.(), Math.min(wait, this.o.idleMs));
      });
    }
  }

  /** Handle one event; true when it left the queue (done or parked). */
  private async process(q: QueuedEvent): Promise<boolean> {
    const ev = q.event;
    try {
      await this.handle(ev);
      this.store.finish(q.id, 'done');
      return true;
    } catch (e) {
      const reason = reasonOf(e);
      const attempt = q.attempts + 1;
      const kind = retryability(e);
      if (kind === 'permanent' || (kind === 'unknown' && attempt >= this.o.maxUnknownAttempts)) {
        this.log.error({ eventId: ev.event_id, room: ev.room_id, reason, attempt }, 'gave up on a Matrix event');
        this.store.finish(q.id, 'failed', reason);
        await this.o.onParked?.(ev, reason).catch((err: unknown) => this.log.warn({ eventId: ev.event_id, reason: reasonOf(err) }, 'could not tell the user a Matrix event was given up on'));
        return true;
      }
      const delay = Math.min(this.o.capMs, this.o.baseMs * 2 ** Math.min(attempt - 1, 20));
      this.log.warn({ eventId: ev.event_id, room: ev.room_id, reason, attempt, retryMs: delay, kind }, 'Matrix event failed; will retry');
      try { this.store.retryLater(q.id, reason); } catch { /* the attempt count is advisory */ }
      this.notBefore.set(ev.room_id, Date.now() + delay);
      return false;
    }
  }
}
