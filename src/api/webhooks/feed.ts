// Turns live events into queued webhook deliveries. The feed remembers the
// last ROWID it queued (in api_state), and on start replays chat.db rows after
// it, so events that happened while the bridge was down are still POSTed.
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
  return hub.subscribe(from, (ev) => {
    const body = JSON.stringify({ ...ev.data, queued_at: Date.now() });
    db.transaction(() => {
      queue.enqueue(urls, ev.id === null ? ev.key : String(ev.id), body);
      if (ev.id !== null) set.run(CURSOR_KEY, String(ev.id));
    })();
    dispatcher.kick();
  });
}
