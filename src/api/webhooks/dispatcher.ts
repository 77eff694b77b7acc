// Delivers queued webhooks: POST with Standard Webhooks signature headers
// (and the deprecated X-IMB ones, for one release; see sign.ts),
// exponential backoff (with jitter) on failure. One loop, a few in flight.
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';
import type { WebhookQueue } from './queue.ts';
import { sign, SIGNATURE_HEADER, standardHeaders, TIMESTAMP_HEADER } from './sign.ts';

export interface WebhookTarget { url: string; secret: string }

export interface DispatcherOptions {
  targets: WebhookTarget[];
  backoffMs: number;
  backoffMaxMs: number;
  maxAttempts: number;
  timeoutMs?: number;
}

export const backoffDelay = (attempt: number, baseMs: number, maxMs: number): number =>
  Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1)) * (0.8 + Math.random() * 0.4);

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private readonly secrets: Map<string, string>;

  constructor(private readonly queue: WebhookQueue, private readonly opts: DispatcherOptions, private readonly log: Logger, private readonly metrics: Metrics) {
    this.secrets = new Map(opts.targets.map((t) => [t.url, t.secret]));
  }

  start(): void {
    this.kick();
  }

  /** Run soon (after an enqueue, or when the next retry is due). */
  kick(delayMs = 0): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.drain(), Math.max(0, delayMs));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  private async drain(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      for (let batch = this.queue.due(8); batch.length > 0 && !this.stopped; batch = this.queue.due(8)) {
        await Promise.all(batch.map((d) => this.deliver(d.id, d.url, d.body, d.attempts + 1)));
      }
    } finally {
      this.running = false;
    }
    const next = this.queue.nextDueAt();
    if (next !== null) this.kick(next - Date.now());
  }

  private async deliver(id: number, url: string, body: string, attempt: number): Promise<void> {
    const secret = this.secrets.get(url);
    if (secret === undefined) {
      this.queue.park(id, 'webhook URL no longer configured');
      return;
    }
    let error: string;
    try {
      const now = Date.now();
      const ts = String(now);
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json', 'user-agent': 'imessage-bridge-webhook/1',
          // The same id on every retry, so receivers can dedupe deliveries.
          ...standardHeaders(secret, `msg_${id}`, now, body),
          [SIGNATURE_HEADER]: sign(secret, ts, body), [TIMESTAMP_HEADER]: ts,
        },
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
        redirect: 'manual',
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) {
        this.queue.done(id);
        this.metrics.webhookDeliveries.inc({ result: 'ok' });
        return;
      }
      error = `HTTP ${res.status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    this.metrics.webhookDeliveries.inc({ result: 'error' });
    if (attempt >= this.opts.maxAttempts) {
      this.log.warn({ webhook: new URL(url).origin, attempt, error }, 'webhook delivery failed for good; parked as dead');
      this.queue.park(id, error);
    } else {
      this.log.debug({ webhook: new URL(url).origin, attempt, error }, 'webhook delivery failed; will retry');
      this.queue.retryLater(id, Date.now() + backoffDelay(attempt, this.opts.backoffMs, this.opts.backoffMaxMs), error);
    }
  }
}
