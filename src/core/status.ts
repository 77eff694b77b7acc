// Bridge health for `/imessage status`, `!imessage status` and the API's
// gauges, read from the bridge database so it is true even while a connector
// is being rebuilt. The core's tables are read here, not by the connectors.
import type { BridgeDb } from './db/bridgeDb.ts';
import { OutboxStore } from './store/outboxStore.ts';
import { backfillStatusLine } from './backfill/progress.ts';

export function bridgeStatus(db: BridgeDb): Record<string, unknown> {
  const outbox = new OutboxStore(db).counts();
  const backlog = Object.fromEntries((db.prepare("SELECT connector, count(*) AS n FROM delivery WHERE state != 'done' GROUP BY connector").all() as { connector: string; n: number }[]).map((r) => [r.connector, r.n]));
  const lastEvent = db.prepare('SELECT max(created_at) FROM event_log').pluck().get() as number | null;
  return {
    outbox_queued: outbox.queued,
    outbox_sending: outbox.sending,
    outbox_unconfirmed: outbox.unknown,
    outbox_failed: outbox.failed,
    delivery_backlog: backlog,
    last_event_at: lastEvent ? new Date(lastEvent).toISOString() : null,
    backfill: backfillStatusLine(db),
  };
}
