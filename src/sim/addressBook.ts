// A macOS Contacts fixture: AddressBook-v22.abcddb files with the Core Data
// tables the bridge reads (ZABCDRECORD, ZABCDPHONENUMBER, ZABCDEMAILADDRESS),
// at the top level and/or under Sources/<id>/, numbers stored as people type them.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface SimContact {
  first?: string; last?: string; nickname?: string; organization?: string;
  phones?: string[]; emails?: string[];
  /** JPEG or PNG bytes for the contact's thumbnail. */
  photo?: Buffer;
}

export const ADDRESS_BOOK_FILE = 'AddressBook-v22.abcddb';

export function addressBookDir(home: string): string {
  return join(home, 'Library', 'Application Support', 'AddressBook');
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, Z_MAX INTEGER);
CREATE TABLE IF NOT EXISTS Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);
CREATE TABLE IF NOT EXISTS ZABCDRECORD (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCONTACTINDEX INTEGER,
  ZCREATIONDATE TIMESTAMP, ZMODIFICATIONDATE TIMESTAMP, ZDISPLAYFLAGS INTEGER, ZFIRSTNAME VARCHAR, ZLASTNAME VARCHAR,
  ZMIDDLENAME VARCHAR, ZNICKNAME VARCHAR, ZORGANIZATION VARCHAR, ZJOBTITLE VARCHAR, ZNAME VARCHAR, ZUNIQUEID VARCHAR, ZSORTINGFIRSTNAME VARCHAR, ZSORTINGLASTNAME VARCHAR, ZTHUMBNAILIMAGEDATA BLOB);
CREATE TABLE IF NOT EXISTS ZABCDPHONENUMBER (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZISPRIMARY INTEGER,
  ZORDERINGINDEX INTEGER, ZOWNER INTEGER, ZAREACODE VARCHAR, ZCOUNTRYCODE VARCHAR, ZEXTENSION VARCHAR, ZFULLNUMBER VARCHAR, ZLABEL VARCHAR, ZLASTFOURDIGITS VARCHAR, ZUNIQUEID VARCHAR);
CREATE TABLE IF NOT EXISTS ZABCDEMAILADDRESS (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZISPRIMARY INTEGER,
  ZORDERINGINDEX INTEGER, ZOWNER INTEGER, ZADDRESS VARCHAR, ZADDRESSNORMALIZED VARCHAR, ZLABEL VARCHAR, ZUNIQUEID VARCHAR);
CREATE INDEX IF NOT EXISTS ZABCDPHONENUMBER_ZOWNER_INDEX ON ZABCDPHONENUMBER (ZOWNER);
CREATE INDEX IF NOT EXISTS ZABCDEMAILADDRESS_ZOWNER_INDEX ON ZABCDEMAILADDRESS (ZOWNER);
`;

/** Core Data entity numbers (as in a real AddressBook-v22 model). */
const ENT = { record: 22, phone: 15, email: 9 };

/**
 * Write `contacts` into the top-level AddressBook database of `home`, or into
 * Sources/<source>/ when `source` is given. Appends when the file exists.
 * Returns the database path.
 */
export function createAddressBook(home: string, contacts: SimContact[], opts: { source?: string } = {}): string {
  const base = addressBookDir(home);
  const dir = opts.source ? join(base, 'Sources', opts.source) : base;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, ADDRESS_BOOK_FILE);
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(SCHEMA);
    const now = (Date.now() - 978_307_200_000) / 1000;
    const rec = db.prepare(`INSERT INTO ZABCDRECORD (Z_ENT, Z_OPT, ZCREATIONDATE, ZMODIFICATIONDATE, ZDISPLAYFLAGS, ZFIRSTNAME, ZLASTNAME, ZNICKNAME, ZORGANIZATION, ZUNIQUEID, ZSORTINGFIRSTNAME, ZSORTINGLASTNAME, ZTHUMBNAILIMAGEDATA)
      VALUES (${ENT.record}, 1, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const phone = db.prepare(`INSERT INTO ZABCDPHONENUMBER (Z_ENT, Z_OPT, ZISPRIMARY, ZORDERINGINDEX, ZOWNER, ZFULLNUMBER, ZLABEL, ZLASTFOURDIGITS, ZUNIQUEID)
      VALUES (${ENT.phone}, 1, ?, ?, ?, ?, '_$!<Mobile>!$_', ?, ?)`);
    const email = db.prepare(`INSERT INTO ZABCDEMAILADDRESS (Z_ENT, Z_OPT, ZISPRIMARY, ZORDERINGINDEX, ZOWNER, ZADDRESS, ZADDRESSNORMALIZED, ZLABEL, ZUNIQUEID)
      VALUES (${ENT.email}, 1, ?, ?, ?, ?, ?, '_$!<Home>!$_', ?)`);
    db.transaction(() => {
      for (const c of contacts) {
        const uid = `${randomUUID().toUpperCase()}:ABPerson`;
        const pk = Number(rec.run(now, now, c.first ?? null, c.last ?? null, c.nickname ?? null, c.organization ?? null, uid,
          (c.first ?? c.organization ?? '').toLowerCase(), (c.last ?? '').toLowerCase(),
          // Contacts stores the thumbnail with a one-byte prefix before the JPEG/PNG data.
          c.photo ? Buffer.concat([Buffer.from([1]), c.photo]) : null).lastInsertRowid);
        (c.phones ?? []).forEach((n, i) => phone.run(i === 0 ? 1 : 0, i, pk, n, n.replace(/\D/g, '').slice(-4), `${randomUUID().toUpperCase()}:ABPhone`));
        (c.emails ?? []).forEach((e, i) => email.run(i === 0 ? 1 : 0, i, pk, e, e.trim().toLowerCase(), `${randomUUID().toUpperCase()}:ABEmail`));
      }
      db.exec(`INSERT OR REPLACE INTO Z_PRIMARYKEY (Z_ENT, Z_NAME, Z_SUPER, Z_MAX) VALUES
        (${ENT.record}, 'ABCDRecord', 0, (SELECT COALESCE(MAX(Z_PK), 0) FROM ZABCDRECORD)),
        (${ENT.phone}, 'ABCDPhoneNumber', 0, (SELECT COALESCE(MAX(Z_PK), 0) FROM ZABCDPHONENUMBER)),
        (${ENT.email}, 'ABCDEmailAddress', 0, (SELECT COALESCE(MAX(Z_PK), 0) FROM ZABCDEMAILADDRESS))`);
    })();
  } finally {
    db.close();
  }
  return path;
}

/**
 * The ways people store one US number in Contacts: "(555) 123-4567",
 * "+1 555-123-4567", "555.123.4567", "1 (555) 1234567", bare digits.
 */
export function messyPhoneFormats(e164: string): string[] {
  const d = e164.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
  if (d.length !== 10) return [e164];
  const [a, b, c] = [d.slice(0, 3), d.slice(3, 6), d.slice(6)];
  return [`(${a}) ${b}-${c}`, `+1 ${a}-${b}-${c}`, `${a}.${b}.${c}`, `1 (${a}) ${b}${c}`, `${a}${b}${c}`, `+1${a}${b}${c}`];
}
