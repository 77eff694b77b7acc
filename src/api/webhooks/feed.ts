// Turns live events into queued webhook deliveries. The feed remembers its
// resume position in api_state (live/position.ts): `webhook_through`, the
// ROWID at or below which every row is queued or was deliberately skipped
// (live/resume.ts; not simply the last ROWID queued, since rows can arrive out
// of order), and, with the core's event log, `webhook_seq`, the event-log seq
// at or below which every update (edit, unsend, delivery) is queued. Both move
// in the same transaction as the enqueue. On start it replays chat.db rows
// after the ROWID and logged updates after the seq, so events that happened
// while the bridge was down are still POSTed: updates exactly once, new rows
// at least once (a restart may queue a row again; receivers dedupe by `key`).
// Every body is one of the core's events under the core's key (live/hub.ts),
// so a replayed row has the same key it would have had live.
import type { ConnectorStorage } from '../../core/kit/storage.ts';
import type { UpdateLog } from '../gateway.ts';
import type { EventHub, Subscription } from '../live/hub.ts';
import type { WebhookDispatcher } from './dispatcher.ts';
import type { WebhookQueue } from './queue.ts';

const ROWID_KEY = 'webhook_through';
const SEQ_KEY = 'webhook_seq';

export interface WebhookFeedOptions {
  urls: string[];
  /** Where a first start begins (no history is POSTed): the newest ROWID the core has handled. */
  newestRowid: number;
  /** The core's event log, to replay updates; null: new rows only. */
  updates: UpdateLog | null;
}

export async function startWebhookFeed(db: ConnectorStorage, hub: EventHub, queue: WebhookQueue, dispatcher: WebhookDispatcher, o: WebhookFeedOptions): Promise<Subscription> {
  const get = db.prepare('SELECT value FROM api_state WHERE key = ?').pluck();
  const set = db.prepare('INSERT INTO api_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const load = (key: string, fresh: number): number => {
    const stored = get.get(key) as string | undefined;
    if (stored !== undefined) return Number(stored);
    // First start with webhooks (or first with the event log): from now on.
    set.run(key, String(fresh));
    return fresh;
  };
  let rowid = load(ROWID_KEY, o.newestRowid);
  let seq = o.updates ? load(SEQ_KEY, o.updates.lastSeq()) : null;
  return hub.subscribe({ rowid, seq }, (ev, at) => {
    const body = JSON.stringify({ ...ev.data, queued_at: Date.now() });
    db.transaction(() => {
      queue.enqueue(o.urls, ev.id === null ? ev.key : String(ev.id), body);
      if (at.rowid > rowid) { rowid = at.rowid; set.run(ROWID_KEY, String(rowid)); }
      if (seq !== null && at.seq !== null && at.seq > seq) { seq = at.seq; set.run(SEQ_KEY, String(seq)); }
    })();
    dispatcher.kick();
  });
}
