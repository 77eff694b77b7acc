// Files downloaded from Matrix live under <data>/matrix-media/<event hash>/
// only until the outbox is done with them: handed to the core as owned files
// (deleted at the final fate), and swept at start when a crash left some behind.
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute } from 'node:path';

export const mediaRoot = (dataDir: string): string => join(dataDir, 'matrix-media');

export const mediaDirFor = (root: string, eventId: string): string =>
  join(root, createHash('sha256').update(eventId).digest('hex').slice(0, 24));

/** The per-event directory holding `path`, if `path` is one of our downloads. */
function ownDir(root: string, path: string): string | null {
  const rel = relative(root, path);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return null;
  const dir = dirname(path);
  return dirname(dir) === root ? dir : null;
}

/** The download never reached the outbox: it is no longer needed. */
export async function discardDownload(root: string, path: string): Promise<void> {
  const dir = ownDir(root, path);
  if (dir) await rm(dir, { recursive: true, force: true });
}

/**
 * Remove downloads older than `maxAgeMs` that no unfinished send still needs
 * (`filesInUse`: the core's answer, CoreHandle.filesInUse).
 */
export function sweepDownloads(root: string, filesInUse: readonly string[], maxAgeMs: number, now = Date.now()): number {
  let entries: string[];
  try { entries = readdirSync(root); } catch { return 0; }
  const busy = new Set(filesInUse.map((f) => ownDir(root, f)).filter((d): d is string => d !== null));
  let n = 0;
  for (const name of entries) {
    const dir = join(root, name);
    try {
      if (now - statSync(dir).mtimeMs <= maxAgeMs) continue;
      if (busy.has(dir)) continue;
      rmSync(dir, { recursive: true, force: true });
      n++;
    } catch { /* vanished meanwhile */ }
  }
  return n;
}
