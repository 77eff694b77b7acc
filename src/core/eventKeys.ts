// Watcher items → bridge events, each with its idempotency key derived from
// the iMessage guid: the same chat.db fact always yields the same key, so
// re-reading rows (after a crash, a resync, a rescan) never doubles an event.
import type { Attribution, BridgeEvent } from './events.ts';
import type { Chat, IMessage } from '../imessage/model.ts';
import type { WatchItem } from '../imessage/watch/types.ts';

export interface KeyedEvent { key: string; event: BridgeEvent }

export function eventForNew(m: IMessage, chat: Chat, sentBy: Attribution | null): KeyedEvent | null {
  switch (m.kind) {
    case 'reaction': return { key: `react:${m.guid}`, event: { type: 'reaction', chat, message: m } };
    case 'group_event': return { key: `group:${m.guid}`, event: { type: 'group_event', chat, message: m } };
    // Known system rows (SharePlay, location sharing…) carry nothing to show.
    case 'other': return null;
    default: return { key: `msg:${m.guid}`, event: { type: 'message', chat, message: m, sentBy } };
  }
}

const editEvent = (m: IMessage, chat: Chat): KeyedEvent => ({ key: `edit:${m.guid}:${m.dateEdited ?? 0}`, event: { type: 'edit', chat, message: m } });
const unsendEvent = (m: IMessage, chat: Chat): KeyedEvent =>
  ({ key: m.unsent ? `unsend:${m.guid}` : `unsend:${m.guid}:${m.retractedParts.join(',')}`, event: { type: 'unsend', chat, message: m } });

/** Null for `from_me` (a late is_from_me flip): it only confirms our send, connectors get no event. */
export function eventForChange(item: Extract<WatchItem, { type: 'change' }>, chat: Chat): KeyedEvent | null {
  const m = item.message;
  switch (item.change) {
    case 'from_me': return null;
    case 'edit': return editEvent(m, chat);
    case 'unsend': return unsendEvent(m, chat);
    default: return { key: `status:${m.guid}:${item.change}`, event: { type: 'delivery', chat, message: m, status: item.change } };
  }
}

/**
 * Everything one chat.db row stands for as it reads now, with the keys the
 * core gives those events live: its new-row event, then the edit and the
 * unsend its current state carries (in the order the watcher finds them; see
 * imessage/watch/changes.ts). For rows the event log no longer (or never)
 * held: the API's replay re-derives them here, so a client that dedupes by
 * key never sees one fact under two keys. Delivery status is not derived: an
 * old row's "delivered" is not news.
 */
export function eventsForRow(m: IMessage, chat: Chat): { row: KeyedEvent | null; updates: KeyedEvent[] } {
  const updates: KeyedEvent[] = [];
  if ((m.dateEdited ?? 0) !== 0) updates.push(editEvent(m, chat));
  if (m.unsent || m.retractedParts.length > 0) updates.push(unsendEvent(m, chat));
  return { row: eventForNew(m, chat, null), updates };
}

/** The keys a relayed new row may have been logged under (resync: was it seen?). */
export const keysForNew = (guid: string): string[] => [`msg:${guid}`, `react:${guid}`, `group:${guid}`];
