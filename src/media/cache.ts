// Converted files, kept so the Matrix and Discord connectors and the API share
// one conversion per attachment, and a restart doesn't redo it. One folder per
// source file + version; `meta.json` is written last, so a folder without it is
// an unfinished conversion. Old and excess entries are swept.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CacheLimits { maxBytes: number; maxAgeMs: number }

export class MediaCache {
  constructor(readonly dir: string, private readonly limits: CacheLimits) {}

  keyFor(parts: Array<string | number>): string {
    return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
  }

  /** A finished entry's metadata, touched so the sweep keeps what is in use. */
  async get<T>(key: string): Promise<{ dir: string; meta: T } | null> {
    const dir = join(this.dir, key);
    try {
      const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as T;
      const now = new Date();
      await utimes(join(dir, 'meta.json'), now, now).catch(() => undefined);
      return { dir, meta };
    } catch {
      return null;
    }
  }

  /** A private folder to convert into; `commit` moves it into place. */
  async scratch(): Promise<string> {
    const dir = join(this.dir, `.tmp-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Publish `scratchDir` as `key`; returns the final folder. `meta` may name files by their scratch paths. */
  async commit(key: string, scratchDir: string, meta: unknown): Promise<string> {
    const dir = join(this.dir, key);
    const json = JSON.stringify(meta).split(scratchDir).join(dir);
    await writeFile(join(scratchDir, 'meta.json'), json);
    await rm(dir, { recursive: true, force: true });
    await rename(scratchDir, dir);
    return dir;
  }

  async discard(scratchDir: string): Promise<void> {
    await rm(scratchDir, { recursive: true, force: true });
  }

  /** Drop entries unused for maxAge, then the least recently used until under maxBytes; and stale scratch folders. */
  async sweep(now = Date.now()): Promise<number> {
    if (!existsSync(this.dir)) return 0;
    const entries: Array<{ dir: string; used: number; bytes: number }> = [];
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      const dir = join(this.dir, name);
      try {
        const metaStat = await stat(join(dir, name.startsWith('.tmp-') ? '.' : 'meta.json')).catch(() => null);
        const used = metaStat?.mtimeMs ?? 0;
        if (name.startsWith('.tmp-') ? now - used > 3_600_000 : !metaStat || now - used > this.limits.maxAgeMs) {
          await rm(dir, { recursive: true, force: true });
          removed++;
          continue;
        }
        if (name.startsWith('.tmp-')) continue;
        let bytes = 0;
        for (const f of await readdir(dir)) bytes += (await stat(join(dir, f))).size;
        entries.push({ dir, used, bytes });
      } catch { /* vanished meanwhile */ }
    }
    let total = entries.reduce((n, e) => n + e.bytes, 0);
    for (const e of entries.sort((a, b) => a.used - b.used)) {
      if (total <= this.limits.maxBytes) break;
      await rm(e.dir, { recursive: true, force: true });
      total -= e.bytes;
      removed++;
    }
    return removed;
  }
}
