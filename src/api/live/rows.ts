// A chat.db row replayed to a resuming client or webhook feed, as the core's
// events: the row is run through the core's own classification
// (eventsForRow: classify.ts + eventKeys.ts), so it carries the key it has
// live, whether the event log still holds it or not (pruned after ~3 days,
// written before the bridge first ran, or not reached by the core yet). Never
// `msg:` for a tapback or a group event. Where the log knows more than chat.db
// (our own sends' `sent_by`, the text before an edit), the logged envelope is
// what comes back.
import { eventsForRow } from '../../core/eventKeys.ts';
import type { Chat, IMessage } from '../../imessage/model.ts';
import type { UpdateLog } from '../gateway.ts';
import type { JsonContract } from '../json.ts';
import { fromBridgeEvent, type LiveEvent } from './event.ts';

export interface RowEvents {
  /** The row's new-row event; null for rows the core does not relay (SharePlay, location sharing…). */
  row: LiveEvent | null;
  /**
   * The edit and unsend its current state carries that the event log does not
   * hold (a logged one is replayed by seq instead, or the client has it).
   */
  updates: LiveEvent[];
}

/**
 * `withUpdates` false: the client resumes new rows only (a `<rowid>`
 * position) and is never sent the edits and unsends it missed, so a logged row
 * shows the message as chat.db has it now (as such a replay always did), with
 * the key and attribution the core logged.
 */
export function rowEvents(m: IMessage, chat: Chat, log: UpdateLog | null, json: JsonContract, withUpdates: boolean): RowEvents {
  const derived = eventsForRow(m, chat);
  let row: LiveEvent | null = null;
  if (derived.row) {
    // The log says more than chat.db only about our own rows (who sent them through the bridge) and, for a
    // client that gets updates, what an edited or unsent row said before; other rows skip the lookup (replay speed).
    const worthLooking = m.fromMe || (withUpdates && derived.updates.length > 0);
    const logged = worthLooking ? log?.byKey(derived.row.key) ?? null : null;
    const ev = !logged ? derived.row.event : withUpdates ? logged.event : { ...logged.event, message: m };
    // seq null: a replayed row must not move the client's update mark (updates between are replayed after the rows).
    row = fromBridgeEvent(ev, derived.row.key, null, json);
  }
  if (!withUpdates) return { row, updates: [] };
  const updates = derived.updates.filter((u) => !log?.byKey(u.key)).map((u) => fromBridgeEvent(u.event, u.key, null, json));
  return { row, updates };
}
