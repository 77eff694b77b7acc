// The persisted webhook queue: one row per (event, URL). Rows survive
// restarts; a delivery leaves the table only on a 2xx, or is parked as `dead`
// after the configured number of attempts. Delivery is in order per URL.
import type { ConnectorStorage } from '../../core/kit/storage.ts';

export interface QueuedDelivery { id: number; url: string; eventId: string | null; body: string; attempts: number }

interface Row { id: number; url: string; event_id: string | null; body: string; attempts: number }

export class WebhookQueue {
  constructor(private readonly db: ConnectorStorage) {}

  enqueue(urls: string[], eventId: string | null, body: string, now = Date.now()): void {
    const ins = this.db.prepare('INSERT INTO webhook_queue (url, event_id, body, next_at, created_at) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => { for (const url of urls) ins.run(url, eventId, body, now, now); })();
  }

  /** Per URL only the oldest pending delivery is eligible, so each receiver gets events in order. */
  due(limit: number, now = Date.now()): QueuedDelivery[] {
    return (this.db.prepare(`SELECT id, url, event_id, body, attempts FROM webhook_queue q
      WHERE state = 'pending' AND next_at <= ? AND id = (SELECT min(id) FROM webhook_queue WHERE url = q.url AND state = 'pending')
      ORDER BY id LIMIT ?`)
      .all(now, limit) as Row[]).map((r) => ({ id: r.id, url: r.url, eventId: r.event_id, body: r.body, attempts: r.attempts }));
  }

  nextDueAt(): number | null {
    return (this.db.prepare(`SELECT min(next_at) FROM webhook_queue q WHERE state = 'pending'
      AND id = (SELECT min(id) FROM webhook_queue WHERE url = q.url AND state = 'pending')`).pluck().get() as number | null) ?? null;
  }

  done(id: number): void {
    this.db.prepare('DELETE FROM webhook_queue WHERE id = ?').run(id);
  }

  retryLater(id: number, nextAt: number, error: string): void {
    this.db.prepare('UPDATE webhook_queue SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?').run(nextAt, error.slice(0, 500), id);
  }

  park(id: number, error: string): void {
    this.db.prepare("UPDATE webhook_queue SET attempts = attempts + 1, state = 'dead', last_error = ? WHERE id = ?").run(error.slice(0, 500), id);
  }

  depth(state: 'pending' | 'dead' = 'pending'): number {
    return this.db.prepare('SELECT count(*) FROM webhook_queue WHERE state = ?').pluck().get(state) as number;
  }
}
