// Drains the durable inbound queue in order. A failure is retried with
// backoff (the event stays queued across restarts); after several attempts it
// is parked as failed so one bad event can't block the room forever.
import type { Logger } from 'pino';
import type { MatrixEvent, MatrixStore } from './store.ts';
import { reasonOf } from './errors.ts';

const MAX_ATTEMPTS = 8;

export class InboundWorker {
  private running = false;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private kick: (() => void) | null = null;
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly store: MatrixStore, private readonly handle: (e: MatrixEvent) => Promise<void>, private readonly log: Logger) {}

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
    let backoff = 0;
    while (!this.stopped) {
      const batch = this.store.pending();
      let failed = false;
      for (const q of batch) {
        if (this.stopped) break;
        try {
          await this.handle(q.event);
          this.store.finish(q.id, 'done');
          backoff = 0;
        } catch (e) {
          const reason = reasonOf(e);
          if (q.attempts + 1 >= MAX_ATTEMPTS) {
            this.log.error({ eventId: q.event.event_id, reason }, 'gave up on a Matrix event after repeated failures');
            this.store.finish(q.id, 'failed', reason);
          } else {
            this.log.warn({ eventId: q.event.event_id, reason, attempt: q.attempts + 1 }, 'Matrix event failed; will retry');
            this.store.retryLater(q.id, reason);
            failed = true;
            break;
          }
        }
      }
      if (this.stopped) break;
      if (batch.length && !failed) continue;
      backoff = failed ? Math.min(30_000, Math.max(500, backoff * 2)) : 0;
      await new Promise<void>((resolve) => {
        this.kick = () => { this.kick = null; if (this.timer) clearTimeout(this.timer); resolve(); };
        this.timer = setTimeout(() => this.kick?.(), failed ? backoff : 5_000);
      });
    }
  }
}
