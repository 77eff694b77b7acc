// Files downloaded from Discord for the outbox live in downloadDir/<message id>/.
// They are handed to the core as owned files: the core deletes each once its
// send's fate is final (or the send is refused). A sweep at start removes what
// a crash left behind.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const DAY_MS = 24 * 60 * 60 * 1000;

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
