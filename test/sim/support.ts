// Temp folders and a plain read-only view of what the simulator wrote.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor as sharedWaitFor } from '../support/waitFor.ts';

export function tempDir(t: { after(fn: () => void): void }, prefix = 'imb-sim-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A separate connection, as a reader would have; BigInts so nanosecond dates stay exact. */
export function readRows<T = Record<string, unknown>>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).safeIntegers(true).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The suite's one condition wait (test/support/waitFor.ts), in this folder's argument order. */
export async function waitFor(cond: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  await sharedWaitFor(what, cond, { timeoutMs, intervalMs: 10 });
}
