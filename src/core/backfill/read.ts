// Reads the rows the planner needs from chat.db: the chat's newest rows before
// a point, newest first, until the window is full or too old. Reactions and
// edits to those lines are rows of the same range, so they come along.
import type { ChatDb } from '../../imessage/db/index.ts';
import type { IMessage } from '../../imessage/model.ts';
import { planHistory, type BackfillLimits, type HistoryItem } from './plan.ts';

/** Rows read at most per backfill: a chat of nothing but tapbacks can't make us read it all. */
const MAX_ROWS = 5_000;

export function readHistory(reader: ChatDb, chat: string, limits: BackfillLimits, now: number, beforeRowid?: number): HistoryItem[] {
  if (limits.messages <= 0) return [];
  const oldest = now - limits.maxAgeDays * 24 * 3600_000;
  const rows: IMessage[] = [];
  let lines = 0;
  for (const m of reader.iterateMessages({ chat, order: 'desc', ...(beforeRowid !== undefined ? { beforeRowid } : {}), limit: MAX_ROWS })) {
    if (m.kind !== 'reaction' && m.date !== null && m.date < oldest) break;
    rows.push(m);
    if (m.kind !== 'reaction' && m.kind !== 'other' && ++lines >= limits.messages) break;
  }
  return planHistory(rows, limits, now);
}
