// Names for handles, from the Contacts databases. Lookups are cheap map hits;
// at most every `recheckMs` the files' size and mtime (and their -wal, where
// Contacts actually writes) are compared, and everything is re-read on change.
// Without access the handle itself is shown, and the reason is logged once.
import { statSync } from 'node:fs';
import type { Logger } from 'pino';
import { log as rootLog } from '../../log.ts';
import { findAddressBooks, readAddressBook, type ContactPhoto } from './addressBook.ts';
import { normalizeHandle } from './normalize.ts';

export interface ContactBookOptions {
  /** The AddressBook folder (~/Library/Application Support/AddressBook). */
  dir: string;
  /** ISO region for numbers written without a country code, e.g. "US". */
  defaultRegion: string;
  log?: Logger;
  /** Minimum interval between checks for changed files; default 2000 ms, 0 checks on every lookup. */
  recheckMs?: number;
}

/** Bound on the normalized-key cache (a lifetime of handles is far fewer). */
const MAX_CACHED_KEYS = 100_000;

export class ContactBook {
  private names = new Map<string, string>();
  private photos = new Map<string, ContactPhoto>();
  private signature = '';
  private checkedAt = -Infinity;
  private readonly warned = new Set<string>();
  private closed = false;
  // handle → normalized key. libphonenumber costs ~10 µs a call and an API
  // page asks for every sender and participant, so each handle is parsed
  // once. The key depends only on the handle and the (fixed) region, so it
  // never goes stale; the names behind it reload on change as before.
  private readonly keys = new Map<string, string>();

  constructor(private readonly o: ContactBookOptions) {}

  private keyOf(handle: string): string {
    let key = this.keys.get(handle);
    if (key === undefined) {
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
      key = normalizeHandle(handle, this.o.defaultRegion);
      this.keys.set(handle, key);
    }
    return key;
  }

  /** The contact's name for a handle (phone or email), or null when unknown or unreadable. */
  nameFor(handle: string): string | null {
    if (this.closed) return null;
    this.refreshIfStale();
    return this.names.size === 0 ? null : this.names.get(this.keyOf(handle)) ?? null;
  }

  /** The contact's name, or the handle itself. */
  displayName(handle: string): string {
    return this.nameFor(handle) ?? handle;
  }

  /** The contact's thumbnail (for Matrix ghost avatars), or null. */
  photoFor(handle: string): ContactPhoto | null {
    if (this.closed) return null;
    this.refreshIfStale();
    return this.photos.size === 0 ? null : this.photos.get(this.keyOf(handle)) ?? null;
  }

  close(): void {
    this.closed = true;
    this.names.clear();
    this.photos.clear();
  }

  private refreshIfStale(): void {
    const now = Date.now();
    if (now - this.checkedAt < (this.o.recheckMs ?? 2000)) return;
    this.checkedAt = now;
    let files: string[];
    try { files = findAddressBooks(this.o.dir); } catch (err) {
      this.names.clear();
      this.photos.clear();
      this.signature = '';
      this.warnOnce(accessProblem(this.o.dir, err));
      return;
    }
    if (files.length === 0) this.warnOnce({ key: 'empty', msg: `no Contacts databases (AddressBook-v22.abcddb) under ${this.o.dir}; showing handles instead of names` });
    const sig = files.map((f) => `${f}|${stamp(f)}|${stamp(`${f}-wal`)}`).join('\n');
    if (sig === this.signature) return;
    this.signature = sig;
    [this.names, this.photos] = this.load(files);
  }

  private load(files: string[]): [Map<string, string>, Map<string, ContactPhoto>] {
    const names = new Map<string, string>();
    const photos = new Map<string, ContactPhoto>();
    for (const f of files) {
      let records;
      try { records = readAddressBook(f); } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        this.warnOnce(/EACCES|EPERM|AUTH|CANTOPEN/.test(code) ? accessProblem(f, err) : { key: `read:${f}`, msg: `could not read Contacts database ${f} (${(err as Error).message}); its names are skipped` });
        continue;
      }
      for (const r of records) {
        for (const h of [...r.phones, ...r.emails]) {
          const key = normalizeHandle(h, this.o.defaultRegion);
          // The first source wins, so a name never flips between reloads.
          if (!names.has(key)) names.set(key, r.name);
          if (r.photo && !photos.has(key)) photos.set(key, r.photo);
        }
      }
    }
    return [names, photos];
  }

  private warnOnce(p: { key: string; msg: string }): void {
    if (this.warned.has(p.key)) return;
    this.warned.add(p.key);
    (this.o.log ?? rootLog()).warn({ dir: this.o.dir }, p.msg);
  }
}

function stamp(p: string): string {
  try { const s = statSync(p); return `${s.mtimeMs}:${s.size}:${s.ino}`; } catch { return '-'; }
}

/** Why Contacts cannot be read, in words a user can act on. */
export function accessProblem(path: string, err: unknown): { key: string; msg: string } {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return { key: 'missing', msg: `Contacts folder not found at ${path}; showing handles instead of names` };
  }
  if (/EACCES|EPERM|SQLITE_AUTH|SQLITE_CANTOPEN/.test(code) || /not permitted|authorization denied|unable to open/i.test(String((err as Error)?.message))) {
    return { key: 'denied', msg: `Contacts are not readable at ${path} (${code || (err as Error).message}): grant Full Disk Access to ${process.execPath} (or to your terminal app when run from a terminal) in System Settings › Privacy & Security › Full Disk Access; showing handles instead of names` };
  }
  return { key: `other:${code}`, msg: `Contacts could not be read at ${path} (${(err as Error)?.message ?? String(err)}); showing handles instead of names` };
}
