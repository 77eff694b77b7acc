// Bridge health for `/imessage status` and `!imessage status`, read from the
// bridge database so it is true even while a connector is being rebuilt.
import type { BridgeDb } from '../core/db/bridgeDb.ts';
import { backfillStatusLine } from '../core/backfill/progress.ts';

export function bridgeStatus(db: BridgeDb): Record<string, unknown> {
  const outbox = Object.fromEntries((db.prepare("SELECT state, count(*) AS n FROM outbox WHERE state IN ('queued','sending','unknown','failed') GROUP BY state").all() as { state: string; n: number }[]).map((r) => [r.state, r.n]));
  const backlog = Object.fromEntries((db.prepare("SELECT connector, count(*) AS n FROM delivery WHERE state != 'done' GROUP BY connector").all() as { connector: string; n: number }[]).map((r) => [r.connector, r.n]));
  const lastEvent = db.prepare('SELECT max(created_at) FROM event_log').pluck().get() as number | null;
  return {
    outbox_queued: outbox.queued ?? 0,
    outbox_sending: outbox.sending ?? 0,
    outbox_unconfirmed: outbox.unknown ?? 0,
    outbox_failed: outbox.failed ?? 0,
    delivery_backlog: backlog,
    last_event_at: lastEvent ? new Date(lastEvent).toISOString() : null,
    backfill: backfillStatusLine(db),
  };
}
