// Reads the macOS Contacts databases: the top-level AddressBook-v22.abcddb and
// one per account under Sources/*/. Opened read-only; Contacts keeps writing them.
import Database from 'better-sqlite3';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const AB_FILE = 'AddressBook-v22.abcddb';

export interface ContactPhoto { data: Buffer; mimeType: string }
export interface ContactRecord { name: string; phones: string[]; emails: string[]; photo: ContactPhoto | null }

/**
 * ZTHUMBNAILIMAGEDATA holds the thumbnail, usually behind a one-byte prefix;
 * only data that is recognisably JPEG or PNG is returned.
 */
export function photoFrom(blob: Buffer | null): ContactPhoto | null {
  if (!blob || blob.length < 8) return null;
  for (const data of [blob, blob.subarray(1)]) {
    if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return { data, mimeType: 'image/jpeg' };
    if (data.subarray(0, 8).equals(PNG_MAGIC)) return { data, mimeType: 'image/png' };
  }
  return null;
}
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Every AddressBook database under `dir`; the top-level one first, then sources in name order. */
export function findAddressBooks(dir: string): string[] {
  // Let a missing or unreadable folder throw: the caller explains it once.
  statSync(dir);
  const out: string[] = [];
  const top = join(dir, AB_FILE);
  if (exists(top)) out.push(top);
  let sources: string[] = [];
  try { sources = readdirSync(join(dir, 'Sources')).sort(); } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const s of sources) {
    const f = join(dir, 'Sources', s, AB_FILE);
    if (exists(f)) out.push(f);
  }
  return out;
}

function exists(p: string): boolean {
  try { return statSync(p).isFile(); } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw err;
  }
}

/** "First Last", else the nickname, else the organization. */
export function displayNameOf(r: { first: string | null; last: string | null; nickname: string | null; org: string | null }): string | null {
  const full = [r.first, r.last].map((s) => s?.trim() ?? '').filter(Boolean).join(' ');
  return full || r.nickname?.trim() || r.org?.trim() || null;
}

interface RecordRow { pk: number; first: string | null; last: string | null; nickname: string | null; org: string | null; photo: Buffer | null }
interface OwnedRow { owner: number | null; value: string | null }

export function readAddressBook(path: string): ContactRecord[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const hasPhoto = (db.prepare("SELECT 1 FROM pragma_table_info('ZABCDRECORD') WHERE name = 'ZTHUMBNAILIMAGEDATA'").get()) !== undefined;
    const records = db.prepare(`SELECT Z_PK AS pk, ZFIRSTNAME AS first, ZLASTNAME AS last, ZNICKNAME AS nickname, ZORGANIZATION AS org, ${hasPhoto ? 'ZTHUMBNAILIMAGEDATA' : 'NULL'} AS photo FROM ZABCDRECORD`).all() as RecordRow[];
    const phones = db.prepare('SELECT ZOWNER AS owner, ZFULLNUMBER AS value FROM ZABCDPHONENUMBER').all() as OwnedRow[];
    const emails = db.prepare('SELECT ZOWNER AS owner, ZADDRESS AS value FROM ZABCDEMAILADDRESS').all() as OwnedRow[];
    const byPk = new Map<number, ContactRecord>();
    for (const r of records) {
      const name = displayNameOf(r);
      if (name) byPk.set(r.pk, { name, phones: [], emails: [], photo: photoFrom(r.photo) });
    }
    for (const p of phones) if (p.owner !== null && p.value) byPk.get(p.owner)?.phones.push(p.value);
    for (const e of emails) if (e.owner !== null && e.value) byPk.get(e.owner)?.emails.push(e.value);
    return [...byPk.values()];
  } finally {
    db.close();
  }
}
