// One live event as clients see it on SSE, WebSocket and webhooks. `id` is the
// chat.db ROWID of a new row (message, tapback, group event); updates to
// existing rows (edit, unsend, delivery) carry no id, so they never move a
// client's ROWID resume point backwards; they are resumed by `seq` instead
// (see position.ts). Every event is one of the core's (src/core/events.ts)
// under the core's key (src/core/eventKeys.ts): live, replayed from the event
// log, or re-derived from a chat.db row older than the log (rows.ts).
import type { BridgeEvent } from '../../core/events.ts';
import type { JsonContract } from '../json.ts';

export interface LiveEvent {
  id: number | null;
  type: BridgeEvent['type'];
  /** Idempotency key (same key ⇒ same effect): the core's, never the API's own. */
  key: string;
  data: Record<string, unknown>;
  /** The core's event-log seq of an update; null for rows read back from chat.db. */
  seq: number | null;
  /** Epoch ms of the message, for relay latency. */
  messageDate: number | null;
}

const NEW_ROW_TYPES = new Set<BridgeEvent['type']>(['message', 'reaction', 'group_event']);

export const UPDATE_TYPES = new Set<BridgeEvent['type']>(['edit', 'unsend', 'delivery']);

/** What the API streams: new rows and updates. `history` lines are one connector's portal backfill, not news. */
export const isStreamed = (ev: BridgeEvent): boolean => NEW_ROW_TYPES.has(ev.type) || UPDATE_TYPES.has(ev.type);

export function fromBridgeEvent(ev: BridgeEvent, key: string, seq: number | null, json: JsonContract): LiveEvent {
  const id = NEW_ROW_TYPES.has(ev.type) ? ev.message.rowid : null;
  const data: Record<string, unknown> = { type: ev.type, id, key, chat: json.chat(ev.chat), message: json.message(ev.message) };
  if (ev.type === 'delivery') data.status = ev.status;
  if (ev.type === 'message' && ev.sentBy) data.sent_by = ev.sentBy;
  return { id, type: ev.type, key, data, seq, messageDate: ev.message.date };
}
