// Which chat.db file a ROWID cursor belongs to. ROWIDs are only meaningful in
// the file that issued them: after a restore or an iCloud resync Messages may
// rebuild the database, and old ROWIDs then point at other messages.
//
// The identity is `dev:ino|{"anchors":[[rowid,guid],…]}`:
// - dev+ino change when the file is replaced by rename (restore, migration);
// - the anchors are the newest rows at or below the cursor (and one ~1,000
//   rows further back, in case the newest is deleted). The file is the same
//   while one of them is still there under the same ROWID. A rebuilt or
//   restored database renumbers rows or lacks them, so it fails the check.
//   Unlike the lowest-ROWID message, these survive Messages deleting old
//   messages ("Keep messages: 30 days"). `_SqliteDatabaseProperties`'
//   `_UniqueIdentifier` would not catch a restored backup (it keeps the id).
// A false alarm (both anchors deleted) only costs a resync, which relays
// nothing already relayed; a missed replacement would skip messages.
import type { ChatDb } from '../db/index.ts';

export { inodeOf } from '../db/handle.ts';

export interface Anchor { rowid: number; guid: string }

const SECOND_ANCHOR_BACK = 1_000;

export const identityString = (inode: string, anchors: Anchor[]): string =>
  `${inode}|${JSON.stringify({ anchors: anchors.map((a) => [a.rowid, a.guid]) })}`;

function newestAtOrBelow(db: ChatDb, rowid: number): Anchor | null {
  if (rowid <= 0) return null;
  for (const m of db.iterateMessages({ beforeRowid: rowid + 1, order: 'desc', limit: 1 })) return { rowid: m.rowid, guid: m.guid };
  return null;
}

/** The identity to store with `cursor`. */
export function identityAt(db: ChatDb, inode: string, cursor: number): string {
  const anchors: Anchor[] = [];
  const first = newestAtOrBelow(db, cursor);
  if (first) {
    anchors.push(first);
    const second = newestAtOrBelow(db, first.rowid - SECOND_ANCHOR_BACK);
    if (second) anchors.push(second);
  }
  return identityString(inode, anchors);
}

function parse(stored: string): { inode: string; anchors: Anchor[] } | null {
  const bar = stored.indexOf('|');
  if (bar >= 0) {
    try {
      const j = JSON.parse(stored.slice(bar + 1)) as { anchors?: unknown };
      if (!Array.isArray(j.anchors)) return null;
      const anchors = j.anchors.filter((a): a is [number, string] => Array.isArray(a) && typeof a[0] === 'number' && typeof a[1] === 'string').map(([rowid, guid]) => ({ rowid, guid }));
      return { inode: stored.slice(0, bar), anchors };
    } catch {
      return null;
    }
  }
  // Older bridges stored `dev:ino:<guid of the lowest ROWID>`: the guid still being there is enough.
  const [dev, ino, ...rest] = stored.split(':');
  const guid = rest.join(':');
  return { inode: `${dev}:${ino}`, anchors: guid === '' ? [] : [{ rowid: -1, guid }] };
}

/** Does the open chat.db still hold the rows the stored identity describes? */
export function sameFile(db: ChatDb, inode: string, stored: string): boolean {
  const s = parse(stored);
  if (!s || s.inode !== inode) return false;
  if (s.anchors.length === 0) return true;
  return s.anchors.some((a) => {
    const m = db.messageByGuid(a.guid);
    return m !== null && (a.rowid === -1 || m.rowid === a.rowid);
  });
}
