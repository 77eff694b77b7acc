// Which chat.db file a ROWID cursor belongs to. ROWIDs are only meaningful in
// the file that issued them: after a restore or an iCloud resync Messages may
// rebuild the database, and old ROWIDs then point at other messages.
//
// The identity is `dev:ino:firstGuid`:
// - dev+ino change when the file is replaced by rename (restore, migration);
// - the guid of the lowest-ROWID message changes when the database is rebuilt
//   in place (copied over the same inode, or `VACUUM INTO` + copy), which the
//   inode alone would not reveal.
// A false alarm (same content, new inode, e.g. a disk restore) only costs one
// bounded resync, which delivers nothing new; a missed replacement would skip
// or misattribute messages. So we err on the side of the alarm.
import { statSync } from 'node:fs';

export interface FileIdentity {
  /** dev:ino of chat.db, or 'missing'. */
  inode: string;
  firstGuid: string;
}

export const identityString = (i: FileIdentity): string => `${i.inode}:${i.firstGuid}`;

export function inodeOf(path: string): string {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

/** An empty database has no first message yet; its identity is settled by the first row. */
export function sameFile(stored: string, current: FileIdentity): boolean {
  if (stored === identityString(current)) return true;
  const [dev, ino, ...rest] = stored.split(':');
  const storedGuid = rest.join(':');
  return `${dev}:${ino}` === current.inode && storedGuid === '' && current.firstGuid !== '';
}
