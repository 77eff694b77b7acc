// Where a resync starts reading. After the file was replaced or rewound, the
// rows dated after the cutoff may or may not have been relayed; every one of
// them is read again (relaying only those without an event key). ROWID order
// is roughly date order, so walk down from the newest row until a long run of
// rows is older than the cutoff. Bounded by time, not by a row count: a long
// downtime means a long resync, never a skipped message.
import type { ChatDb } from '../db/index.ts';

/** This many consecutive rows older than the cutoff end the walk (late-delivered rows carry older dates). */
const OLD_RUN = 1_000;

/** The ROWID to resume reading after (every later row is re-examined). */
export function resyncStart(db: ChatDb, cutoffMs: number, maxRowid: number): number {
  let run = 0;
  let runTop = 0;
  for (const m of db.iterateMessages({ beforeRowid: maxRowid + 1, order: 'desc' })) {
    if (m.date !== null && m.date < cutoffMs) {
      if (run === 0) runTop = m.rowid;
      if (++run >= OLD_RUN) return runTop;
    } else {
      run = 0;
    }
  }
  return 0;
}

/** Rows up to `until` were possibly relayed before: only those dated after `cutoff` and not known go out. */
export interface ResyncRange { until: number; cutoff: number }
