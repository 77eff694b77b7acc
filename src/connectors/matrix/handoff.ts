// Which Matrix events were already handed to the core's outbox, so a retry or
// a crash-and-restart never sends one to iMessage twice. The mark is written
// durably BEFORE core.send; if the process dies between the send and the
// follow-up bookkeeping, the outbox itself (durable, same database) is the
// judge: a row whose origin is this event means the send already happened.
import type { BridgeDb } from '../../core/db/bridgeDb.ts';
import type { CoreHandle } from '../../core/connector.ts';
import type { SendIntent, SendReceipt } from '../../core/events.ts';

const PREFIX = 'handoff:';
interface Mark { outbox: string | null; at: number }

export type HandoffResult = { already: false; receipt: SendReceipt } | { already: true; outboxId: string };

export class Handoffs {
  constructor(private readonly db: BridgeDb, private readonly connectorId: string) {}

  /** The outbox id this event was handed over as, or null when it never reached the outbox. */
  handedOver(eventId: string): string | null {
    const mark = this.mark(eventId);
    if (!mark) return null;
    if (mark.outbox) return mark.outbox;
    // Marked but no id recorded: the send may or may not have reached the outbox. Read-only look-up.
    const row = this.db.prepare('SELECT id FROM outbox WHERE origin_remote_id = ? AND COALESCE(origin_connector, from_connector) = ? ORDER BY seq LIMIT 1')
      .pluck().get(eventId, this.connectorId) as string | undefined;
    if (row) this.write(eventId, row);
    return row ?? null;
  }

  /**
   * Send `intent` unless this event already reached the outbox. Errors from
   * core.send propagate (nothing was sent: the outbox look-up decides on retry).
   */
  async send(core: CoreHandle, eventId: string, intent: SendIntent): Promise<HandoffResult> {
    const prior = this.handedOver(eventId);
    if (prior) return { already: true, outboxId: prior };
    this.write(eventId, null);
    const receipt = await core.send(intent);
    // Best effort: should this write fail, the outbox look-up still finds the send.
    try { this.write(eventId, receipt.id); } catch { /* see handedOver */ }
    return { already: false, receipt };
  }

  /** Forget marks older than `maxAgeMs` whose events are no longer queued. */
  prune(maxAgeMs: number, now = Date.now()): number {
    const rows = this.db.prepare(`SELECT key, value FROM matrix_state WHERE key LIKE '${PREFIX}%'`).all() as Array<{ key: string; value: string }>;
    const stillQueued = this.db.prepare("SELECT 1 FROM matrix_inbound WHERE event_id = ? AND state = 'pending'").pluck();
    const del = this.db.prepare('DELETE FROM matrix_state WHERE key = ?');
    let n = 0;
    this.db.transaction(() => {
      for (const r of rows) {
        const at = (JSON.parse(r.value) as Mark).at;
        if (now - at > maxAgeMs && !stillQueued.get(r.key.slice(PREFIX.length))) n += del.run(r.key).changes;
      }
    })();
    return n;
  }

  private mark(eventId: string): Mark | null {
    const v = this.db.prepare('SELECT value FROM matrix_state WHERE key = ?').pluck().get(PREFIX + eventId) as string | undefined;
    return v ? JSON.parse(v) as Mark : null;
  }

  private write(eventId: string, outbox: string | null): void {
    this.db.prepare('INSERT INTO matrix_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(PREFIX + eventId, JSON.stringify({ outbox, at: Date.now() } satisfies Mark));
  }
}
