// A live client's resume position, as the SSE `id:` (Last-Event-ID) and the
// WebSocket `?last_event_id=` carry it:
//
//   `<rowid>`        new rows only: replay chat.db rows after this ROWID (the
//                    original format; still accepted and still means exactly that)
//   `<rowid>:<seq>`  also updates: replay edits, unsends and delivered/read/failed
//                    changes logged after `seq` in the core's event log
//
// Two cursors because the two kinds of event live in different places: new
// rows are in chat.db (kept forever, replayed by ROWID), updates to existing
// rows leave no new row, so they are replayed from the bridge's event log (kept
// about 3 days; a client away longer misses older updates, never new rows).
// Tapback removals are new rows, so they ride on the ROWID. The server sends
// `<rowid>:<seq>` whenever it has the event log; clients echo the last id
// they saw and need not parse it.
import { ApiError } from '../errors.ts';

export interface Position {
  /** Every chat.db row at or below it was delivered (or deliberately skipped). */
  rowid: number;
  /** Every update with an event-log seq at or below it was delivered; null: new rows only. */
  seq: number | null;
}

const FORMAT = /^(\d{1,15})(?::(\d{1,15}))?$/;

export function parsePosition(raw: string): Position {
  const m = FORMAT.exec(raw.trim());
  if (!m) {
    throw new ApiError('bad_request', 'Last-Event-ID must be a message ROWID, or `<rowid>:<seq>` exactly as an earlier event\'s id gave it.',
      'Send back the last `id:` you received unchanged, or omit it to start from now.');
  }
  return { rowid: Number(m[1]), seq: m[2] === undefined ? null : Number(m[2]) };
}

export const formatPosition = (p: Position): string => (p.seq === null ? String(p.rowid) : `${p.rowid}:${p.seq}`);
