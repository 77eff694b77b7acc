// One live event as clients see it on SSE, WebSocket and webhooks. `id` is the
// chat.db ROWID of a new row (message, tapback, group event); updates to
// existing rows (edit, unsend, delivery) carry no id, so they never move a
// client's ROWID resume point backwards; they are resumed by `seq` instead
// (see position.ts).
import type { BridgeEvent } from '../../core/events.ts';
import type { Chat, IMessage } from '../../imessage/model.ts';
import type { JsonContract } from '../json.ts';

export interface LiveEvent {
  id: number | null;
  type: BridgeEvent['type'];
  /** Idempotency key (same key ⇒ same effect). */
  key: string;
  data: Record<string, unknown>;
  /** The core's event-log seq; null for rows read back from chat.db. */
  seq: number | null;
  /** Epoch ms of the message, for relay latency. */
  messageDate: number | null;
}

const NEW_ROW_TYPES = new Set<BridgeEvent['type']>(['message', 'reaction', 'group_event']);

export const UPDATE_TYPES = new Set<BridgeEvent['type']>(['edit', 'unsend', 'delivery']);

export function fromBridgeEvent(ev: BridgeEvent, key: string, seq: number | null, json: JsonContract): LiveEvent {
  const id = NEW_ROW_TYPES.has(ev.type) ? ev.message.rowid : null;
  const data: Record<string, unknown> = { type: ev.type, id, key, chat: json.chat(ev.chat), message: json.message(ev.message) };
  if (ev.type === 'delivery') data.status = ev.status;
  if (ev.type === 'message' && ev.sentBy) data.sent_by = ev.sentBy;
  return { id, type: ev.type, key, data, seq, messageDate: ev.message.date };
}

/** A row read back from chat.db during replay. */
export function fromRow(chat: Chat, m: IMessage, json: JsonContract): LiveEvent {
  const type: BridgeEvent['type'] = m.kind === 'reaction' ? 'reaction' : m.kind === 'group_event' ? 'group_event' : 'message';
  const key = `msg:${m.guid}`;
  return { id: m.rowid, type, key, data: { type, id: m.rowid, key, chat: json.chat(chat), message: json.message(m) }, seq: null, messageDate: m.date };
}
