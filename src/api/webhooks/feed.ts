// Turns live events into queued webhook deliveries. The feed remembers its
// resume point in api_state: every row at or below it is queued or was
// deliberately skipped (live/resume.ts; not simply the last ROWID queued,
// since rows can arrive out of order). On start it replays chat.db rows after
// it, so events that happened while the bridge was down are still POSTed. A
// restart may queue a row again; receivers dedupe by the body's `key`.
import type { BridgeDb } from '../../core/db/bridgeDb.ts';
import type { EventHub, Subscription } from '../live/hub.ts';
import type { WebhookDispatcher } from './dispatcher.ts';
import type { WebhookQueue } from './queue.ts';

const CURSOR_KEY = 'webhook_through';

export async function startWebhookFeed(db: BridgeDb, hub: EventHub, queue: WebhookQueue, dispatcher: WebhookDispatcher, urls: string[], newestRowid: number): Promise<Subscription> {
  const get = db.prepare('SELECT value FROM api_state WHERE key = ?').pluck();
  const set = db.prepare('INSERT INTO api_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const stored = get.get(CURSOR_KEY) as string | undefined;
  // First start with webhooks: begin at "now", do not POST the whole history.
  const from = stored !== undefined ? Number(stored) : newestRowid;
  if (stored === undefined) set.run(CURSOR_KEY, String(from));
  let cursor = from;
  return hub.subscribe(from, (ev, resumeFrom) => {
    const body = JSON.stringify({ ...ev.data, queued_at: Date.now() });
    db.transaction(() => {
      queue.enqueue(urls, ev.id === null ? ev.key : String(ev.id), body);
      if (resumeFrom > cursor) { cursor = resumeFrom; set.run(CURSOR_KEY, String(cursor)); }
    })();
    dispatcher.kick();
  });
}
