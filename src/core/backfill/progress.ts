// Backfill progress as the status commands and /metrics show it, read from the
// bridge database (runs and their journal rows), so it is true in any process.
import type { BridgeDb } from '../db/bridgeDb.ts';
import { BackfillStore, type RunProgress } from './store.ts';

/** History lines queued and not yet posted, per connector that ever had a run (0 once done). */
export function pendingByConnector(db: BridgeDb): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of db.prepare('SELECT DISTINCT connector FROM backfill_run ORDER BY connector').pluck().all() as string[]) out[c] = 0;
  for (const r of new BackfillStore(db).active()) out[r.connector] = (out[r.connector] ?? 0) + r.total - r.delivered;
  return out;
}

const chatLabel = (r: RunProgress): string => /;[-+];(.+)$/.exec(r.chatGuid)?.[1] ?? r.chatGuid;

/** One status line: "discord +15550001111 12/30 (new portal)", runs joined with " · ", or "none running". */
export function backfillStatusLine(db: BridgeDb): string {
  const runs = new BackfillStore(db).active();
  if (runs.length === 0) return 'none running';
  return runs.map((r) => `${r.connector} ${chatLabel(r)} ${r.delivered}/${r.total} (${r.into === 'thread' ? 'earlier-messages thread' : 'new portal'})`).join(' · ');
}
