// Files downloaded from Matrix live under <data>/matrix-media/<event hash>/
// only until the outbox is done with them: deleted once the send's fate is
// final, and swept at start when a crash left some behind.
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, relative, isAbsolute } from 'node:path';
import type { BridgeDb } from '../../core/db/bridgeDb.ts';

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

/** A send's fate is final (or it never reached the outbox): its download is no longer needed. */
export async function discardDownload(root: string, path: string): Promise<void> {
  const dir = ownDir(root, path);
  if (dir) await rm(dir, { recursive: true, force: true });
}

/**
 * Remove downloads older than `maxAgeMs` that no unfinished outbox entry
 * still points at (read-only look-up in the core's outbox table).
 */
export function sweepDownloads(root: string, db: BridgeDb, maxAgeMs: number, now = Date.now()): number {
  let entries: string[];
  try { entries = readdirSync(root); } catch { return 0; }
  const inUse = db.prepare("SELECT 1 FROM outbox WHERE state IN ('queued', 'sending') AND file_path LIKE ? ESCAPE '\\' LIMIT 1").pluck();
  let n = 0;
  for (const name of entries) {
    const dir = join(root, name);
    try {
      if (now - statSync(dir).mtimeMs <= maxAgeMs) continue;
      if (inUse.get(`${dir.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`)) continue;
      rmSync(dir, { recursive: true, force: true });
      n++;
    } catch { /* vanished meanwhile */ }
  }
  return n;
}
