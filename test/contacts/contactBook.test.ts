import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ContactBook, accessProblem, photoFrom } from '../../src/imessage/contacts/index.ts';
import { addressBookDir, createAddressBook } from '../../src/sim/addressBook.ts';
import { addContacts, openAddressBook, writeAddressBook } from './fixture.ts';

const AB = 'AddressBook-v22.abcddb';

function tempDir(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'contacts-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

function recordingLog(): { log: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const log = { warn: (_o: unknown, msg: string) => { warnings.push(msg); } } as unknown as Logger;
  return { log, warnings };
}

test('names come from the top-level database and every source, matched however the number was typed', (t) => {
  const dir = tempDir(t);
  writeAddressBook(join(dir, AB), [{ first: 'Alice', last: 'Smith', phones: ['(555) 123-4567'] }]);
  writeAddressBook(join(dir, 'Sources', 'A1B2', AB), [
    { first: 'Bob', phones: ['+44 7700 900123'], emails: ['Bob.Jones@Example.com'] },
    { nickname: 'Nicky', phones: ['555 222 3333'] },
    { org: 'Pharmacy Inc', phones: ['72345'] },
  ]);
  writeAddressBook(join(dir, 'Sources', 'C3D4', AB), [{ first: 'Carol', last: 'Diaz', emails: ['carol@example.org'] }]);
  const book = new ContactBook({ dir, defaultRegion: 'US', log: recordingLog().log });
  t.after(() => book.close());

  assert.equal(book.nameFor('+15551234567'), 'Alice Smith');
  assert.equal(book.nameFor('+447700900123'), 'Bob');
  assert.equal(book.nameFor('bob.jones@example.com'), 'Bob', 'email matched case-insensitively');
  assert.equal(book.nameFor('BOB.JONES@EXAMPLE.COM'), 'Bob');
  assert.equal(book.nameFor('+15552223333'), 'Nicky', 'nickname when there is no first/last name');
  assert.equal(book.nameFor('72345'), 'Pharmacy Inc', 'organization when there is no person name; short code exact');
  assert.equal(book.nameFor('carol@example.org'), 'Carol Diaz');
  assert.equal(book.nameFor('+15550000000'), null);
  assert.equal(book.displayName('+15550000000'), '+15550000000', 'unknown handles are shown as themselves');
  assert.equal(book.displayName('+15551234567'), 'Alice Smith');
});

test('short codes never match by trailing digits, in either direction', (t) => {
  const dir = tempDir(t);
  writeAddressBook(join(dir, AB), [
    { first: 'Short', phones: ['72345'] },
    { first: 'Long', phones: ['+1 555 127 2345'] },
  ]);
  const book = new ContactBook({ dir, defaultRegion: 'US', log: recordingLog().log });
  t.after(() => book.close());
  assert.equal(book.nameFor('72345'), 'Short');
  assert.equal(book.nameFor('+15551272345'), 'Long');
  assert.equal(book.nameFor('2345'), null);
  assert.equal(book.nameFor('+172345'), null);
  assert.equal(book.nameFor('+15550072345'), null);
});

test('the default region is used for numbers stored without a country code', (t) => {
  const dir = tempDir(t);
  writeAddressBook(join(dir, AB), [{ first: 'Hans', phones: ['030 1234567'] }]);
  const de = new ContactBook({ dir, defaultRegion: 'DE', log: recordingLog().log });
  const us = new ContactBook({ dir, defaultRegion: 'US', log: recordingLog().log });
  t.after(() => { de.close(); us.close(); });
  assert.equal(de.nameFor('+49301234567'), 'Hans');
  assert.equal(us.nameFor('+49301234567'), null, 'in the US, 030… is not a German number');
});

test('changes are picked up: new contacts, edits written only to the -wal, and new sources', (t) => {
  const dir = tempDir(t);
  writeAddressBook(join(dir, AB), [{ first: 'Alice', phones: ['+15551234567'] }]);
  const book = new ContactBook({ dir, defaultRegion: 'US', recheckMs: 0, log: recordingLog().log });
  t.after(() => book.close());
  assert.equal(book.nameFor('+15559990000'), null);

  // Contacts keeps its database open in WAL mode: the change may live only in the -wal.
  const live = openAddressBook(join(dir, AB), true);
  t.after(() => live.close());
  live.pragma('wal_autocheckpoint = 0');
  addContacts(live, [{ first: 'Zed', phones: ['555-999-0000'] }]);
  assert.equal(book.nameFor('+15559990000'), 'Zed');

  live.prepare("UPDATE ZABCDRECORD SET ZFIRSTNAME = 'Alicia' WHERE ZFIRSTNAME = 'Alice'").run();
  assert.equal(book.nameFor('+15551234567'), 'Alicia');

  writeAddressBook(join(dir, 'Sources', 'NEW', AB), [{ first: 'Newcomer', emails: ['new@example.com'] }]);
  assert.equal(book.nameFor('new@example.com'), 'Newcomer');
});

test('lookups between rechecks are served from the cache', (t) => {
  const dir = tempDir(t);
  writeAddressBook(join(dir, AB), [{ first: 'Alice', phones: ['+15551234567'] }]);
  const book = new ContactBook({ dir, defaultRegion: 'US', recheckMs: 60_000, log: recordingLog().log });
  t.after(() => book.close());
  assert.equal(book.nameFor('+15551234567'), 'Alice');
  writeAddressBook(join(dir, AB), [{ first: 'Later', phones: ['+15550001111'] }]);
  assert.equal(book.nameFor('+15550001111'), null, 'not re-read within recheckMs');
});

test('without a Contacts folder the handle is shown, the reason is logged once, and it recovers when the folder appears', (t) => {
  const dir = join(tempDir(t), 'AddressBook');
  const { log, warnings } = recordingLog();
  const book = new ContactBook({ dir, defaultRegion: 'US', recheckMs: 0, log });
  t.after(() => book.close());
  for (let i = 0; i < 20; i++) assert.equal(book.displayName('+15551234567'), '+15551234567');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /not found .*showing handles/);

  writeAddressBook(join(dir, AB), [{ first: 'Alice', phones: ['+15551234567'] }]);
  assert.equal(book.displayName('+15551234567'), 'Alice');
  assert.equal(warnings.length, 1);
});

test('an unreadable database is skipped with one warning; the other sources still give names', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'Sources', 'BROKEN'), { recursive: true });
  writeFileSync(join(dir, 'Sources', 'BROKEN', AB), 'this is not a sqlite database at all'.repeat(100));
  writeAddressBook(join(dir, 'Sources', 'GOOD', AB), [{ first: 'Good', phones: ['+15551234567'] }]);
  const { log, warnings } = recordingLog();
  const book = new ContactBook({ dir, defaultRegion: 'US', recheckMs: 0, log });
  t.after(() => book.close());
  for (let i = 0; i < 5; i++) assert.equal(book.nameFor('+15551234567'), 'Good');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /BROKEN/);
});

test('an empty Contacts folder is explained once', (t) => {
  const dir = tempDir(t);
  const { log, warnings } = recordingLog();
  const book = new ContactBook({ dir, defaultRegion: 'US', recheckMs: 0, log });
  t.after(() => book.close());
  assert.equal(book.displayName('a@b.c'), 'a@b.c');
  assert.equal(book.displayName('a@b.c'), 'a@b.c');
  assert.deepEqual(warnings.length, 1);
  assert.match(warnings[0] ?? '', /no Contacts databases/);
});

test('permission errors tell the user to grant Full Disk Access', () => {
  const denied = Object.assign(new Error('EACCES: permission denied, scandir'), { code: 'EACCES' });
  const p = accessProblem('/Users/x/Library/Application Support/AddressBook', denied);
  assert.equal(p.key, 'denied');
  assert.match(p.msg, /Full Disk Access/);
  assert.match(p.msg, /showing handles/);
  const eperm = accessProblem('/x', Object.assign(new Error('operation not permitted'), { code: 'EPERM' }));
  assert.equal(eperm.key, 'denied');
  const sqlite = accessProblem('/x', Object.assign(new Error('authorization denied'), { code: 'SQLITE_AUTH' }));
  assert.equal(sqlite.key, 'denied');
  assert.equal(accessProblem('/x', Object.assign(new Error('nope'), { code: 'ENOENT' })).key, 'missing');
});

test('after close, lookups fall back to the handle', (t) => {
  const dir = tempDir(t);
  writeAddressBook(join(dir, AB), [{ first: 'Alice', phones: ['+15551234567'] }]);
  const book = new ContactBook({ dir, defaultRegion: 'US', log: recordingLog().log });
  assert.equal(book.nameFor('+15551234567'), 'Alice');
  book.close();
  assert.equal(book.displayName('+15551234567'), '+15551234567');
});

test('contact photos come from ZTHUMBNAILIMAGEDATA (prefix byte skipped) for Matrix ghost avatars', () => {
  const home = mkdtempSync(join(tmpdir(), 'imb-photo-'));
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]);
  createAddressBook(home, [{ first: 'Ada', phones: ['(555) 123-0001'], photo: jpeg }, { first: 'Bob', phones: ['+15551230002'] }]);
  const book = new ContactBook({ dir: addressBookDir(home), defaultRegion: 'US' });
  const photo = book.photoFor('+15551230001');
  assert.equal(photo?.mimeType, 'image/jpeg');
  assert.ok(photo?.data.equals(jpeg));
  assert.equal(book.photoFor('+15551230002'), null);
  book.close();
  assert.equal(photoFrom(Buffer.from('not an image at all')), null);
});
