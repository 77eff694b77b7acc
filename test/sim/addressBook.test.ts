import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createAddressBook, messyPhoneFormats } from '../../src/sim/addressBook.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { seedSampleConversations, startLiveChatter } from '../../src/sim/samples.ts';
import { readRows, tempDir, waitFor } from './support.ts';

test('AddressBook fixture: the Core Data tables and columns the reader uses, top level and per source', (t) => {
  const home = tempDir(t);
  const top = createAddressBook(home, [
    { first: 'Ada', last: 'Lovelace', phones: ['(555) 123-4567', '+1 555 765 4321'], emails: ['ada@example.com'] },
    { organization: 'Pizza Place', phones: ['555-1234', '72345'] },
  ]);
  const src = createAddressBook(home, [{ nickname: 'Gramps', phones: ['1 (555) 000-1111'] }], { source: 'ABCD-1234' });
  assert.equal(top, join(home, 'Library/Application Support/AddressBook/AddressBook-v22.abcddb'));
  assert.equal(src, join(home, 'Library/Application Support/AddressBook/Sources/ABCD-1234/AddressBook-v22.abcddb'));
  const people = readRows<{ Z_PK: bigint; ZFIRSTNAME: string | null; ZLASTNAME: string | null; ZORGANIZATION: string | null }>(top, 'SELECT Z_PK, ZFIRSTNAME, ZLASTNAME, ZORGANIZATION FROM ZABCDRECORD ORDER BY Z_PK');
  assert.deepEqual(people.map((p) => [p.ZFIRSTNAME, p.ZLASTNAME, p.ZORGANIZATION]), [['Ada', 'Lovelace', null], [null, null, 'Pizza Place']]);
  const phones = readRows<{ ZOWNER: bigint; ZFULLNUMBER: string }>(top, 'SELECT ZOWNER, ZFULLNUMBER FROM ZABCDPHONENUMBER ORDER BY Z_PK');
  assert.deepEqual(phones.map((p) => [Number(p.ZOWNER), p.ZFULLNUMBER]), [[1, '(555) 123-4567'], [1, '+1 555 765 4321'], [2, '555-1234'], [2, '72345']]);
  assert.deepEqual(readRows(top, 'SELECT ZOWNER, ZADDRESS FROM ZABCDEMAILADDRESS'), [{ ZOWNER: 1n, ZADDRESS: 'ada@example.com' }]);
  assert.deepEqual(readRows(src, 'SELECT ZNICKNAME FROM ZABCDRECORD'), [{ ZNICKNAME: 'Gramps' }]);
  // Appending keeps earlier contacts.
  createAddressBook(home, [{ first: 'Alan' }]);
  assert.equal(readRows(top, 'SELECT 1 FROM ZABCDRECORD').length, 3);
  assert.deepEqual(messyPhoneFormats('+15551234567').slice(0, 2), ['(555) 123-4567', '+1 555-123-4567']);
});

test('sample conversations and live chatter', async (t) => {
  const sim = MessagesSimulator.create({ dir: tempDir(t) });
  t.after(() => sim.close());
  const chats = seedSampleConversations(sim);
  assert.equal(chats.pizza.guid, 'SMS;-;+15551230004');
  assert.equal(chats.group.displayName, 'Compiler club');
  const q = (sql: string) => readRows(sim.dbPath, sql).length;
  assert.ok(q('SELECT 1 FROM message WHERE associated_message_type BETWEEN 2000 AND 2005') >= 2, 'tapbacks');
  assert.equal(q('SELECT 1 FROM message WHERE thread_originator_guid IS NOT NULL'), 1, 'a reply');
  assert.equal(q('SELECT 1 FROM message WHERE date_edited > 0'), 1, 'an edit');
  assert.ok(q('SELECT 1 FROM attachment') >= 2, 'attachments');
  assert.ok(q('SELECT 1 FROM ZABCDRECORD'.replace('ZABCDRECORD', 'handle')) >= 4);
  assert.equal(readRows(join(sim.home, 'Library/Application Support/AddressBook/AddressBook-v22.abcddb'), 'SELECT 1 FROM ZABCDRECORD').length, 3);
  const before = sim.maxRowid();
  const stop = startLiveChatter(sim, { intervalMs: 20, chats });
  t.after(stop);
  await waitFor(() => sim.maxRowid() >= before + 3, 10_000, 'live messages');
  stop();
  const live = readRows<{ chat_id: bigint }>(sim.dbPath, 'SELECT j.chat_id FROM message m JOIN chat_message_join j ON j.message_id = m.ROWID WHERE m.ROWID > ?', before);
  assert.ok(new Set(live.map((r) => r.chat_id)).size >= 2, 'messages land in several chats');
});
