// Minimal AddressBook-v22.abcddb files (the tables and columns the bridge reads).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface FixtureContact { first?: string; last?: string; nickname?: string; org?: string; phones?: string[]; emails?: string[] }

export function openAddressBook(path: string, wal = false): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  if (wal) db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS ZABCDRECORD (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, ZFIRSTNAME VARCHAR, ZLASTNAME VARCHAR, ZNICKNAME VARCHAR, ZORGANIZATION VARCHAR);
    CREATE TABLE IF NOT EXISTS ZABCDPHONENUMBER (Z_PK INTEGER PRIMARY KEY, ZOWNER INTEGER, ZLABEL VARCHAR, ZFULLNUMBER VARCHAR);
    CREATE TABLE IF NOT EXISTS ZABCDEMAILADDRESS (Z_PK INTEGER PRIMARY KEY, ZOWNER INTEGER, ZLABEL VARCHAR, ZADDRESS VARCHAR);
  `);
  return db;
}

export function addContacts(db: Database.Database, contacts: FixtureContact[]): void {
  const rec = db.prepare('INSERT INTO ZABCDRECORD (ZFIRSTNAME, ZLASTNAME, ZNICKNAME, ZORGANIZATION) VALUES (?, ?, ?, ?)');
  const phone = db.prepare('INSERT INTO ZABCDPHONENUMBER (ZOWNER, ZFULLNUMBER) VALUES (?, ?)');
  const email = db.prepare('INSERT INTO ZABCDEMAILADDRESS (ZOWNER, ZADDRESS) VALUES (?, ?)');
  db.transaction(() => {
    for (const c of contacts) {
      const pk = Number(rec.run(c.first ?? null, c.last ?? null, c.nickname ?? null, c.org ?? null).lastInsertRowid);
      for (const p of c.phones ?? []) phone.run(pk, p);
      for (const e of c.emails ?? []) email.run(pk, e);
    }
  })();
}

export function writeAddressBook(path: string, contacts: FixtureContact[]): void {
  const db = openAddressBook(path);
  addContacts(db, contacts);
  db.close();
}
