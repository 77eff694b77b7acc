// Files downloaded from Discord for the outbox live in downloadDir/<message id>/.
// Each is removed once its send's fate is final; a sweep at start removes what a
// crash or an unconfirmed send left behind.
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { removeQuietly } from './attachments.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export const isFinalFate = (state: string): boolean => state === 'sent' || state === 'failed';

/** Remove a downloaded file (and its message folder once empty); paths outside `root` are never touched. */
export async function removeDownload(root: string, path: string): Promise<void> {
  const rel = relative(root, path);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return;
  await removeQuietly(path);
  await rmdir(dirname(path)).catch(() => undefined); // still holds another attachment of the message
}

/** Delete message folders older than `maxAgeMs` (default a day). */
export async function sweepDownloads(root: string, maxAgeMs = DAY_MS, now = Date.now()): Promise<number> {
  const entries = await readdir(root).catch(() => [] as string[]);
  let removed = 0;
  for (const name of entries) {
    const path = join(root, name);
    const s = await stat(path).catch(() => null);
    if (!s || now - s.mtimeMs < maxAgeMs) continue;
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
    removed++;
  }
  return removed;
}
