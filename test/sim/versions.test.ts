import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { decodeAttributedBody } from '../../src/imessage/typedstream/index.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { buildSchemaSql, FIXTURE_CHATDB, vendoredSchemaSql } from '../../src/sim/schemaBuild.ts';
import { MACOS_VERSIONS, atLeast } from '../../src/sim/versions.ts';
import { APPLE_EPOCH_MS } from '../../src/sim/appleTime.ts';
import { readRows, tempDir } from './support.ts';

const columnsOf = (path: string, table: string): Set<string> =>
  new Set(readRows<{ name: string }>(path, 'SELECT name FROM pragma_table_info(?)', table).map((r) => r.name));

test('src/sim/schemas equal what the real schemas in test/fixtures/chatdb give', () => {
  assert.ok(existsSync(FIXTURE_CHATDB), 'needs test/fixtures/chatdb');
  for (const v of MACOS_VERSIONS) assert.equal(vendoredSchemaSql(v), buildSchemaSql(v), `src/sim/schemas/${v}.sql is stale: run node --import tsx src/sim/schemaBuild.ts --write`);
});

for (const version of MACOS_VERSIONS) {
  test(`${version}: rows land in that version's real columns`, (t) => {
    const sim = MessagesSimulator.create({ dir: tempDir(t), version });
    const when = new Date('2024-03-01T12:00:00.123Z');
    const chat = sim.addChat({ participants: ['+15551234567'] });
    const group = sim.addChat({ participants: ['+15551234567', 'pal@example.com'], displayName: 'Pals' });
    const m = sim.receive(chat, { from: '+15551234567', text: 'héllo 👋🏽 שלום', date: when });
    sim.sendFromMe(group, { text: 'to the group' });
    sim.close();

    const msgCols = columnsOf(sim.dbPath, 'message');
    assert.equal(msgCols.has('associated_message_type'), atLeast(version, 'high-sierra'));
    assert.equal(msgCols.has('thread_originator_guid'), atLeast(version, 'big-sur'));
    assert.equal(msgCols.has('date_edited'), atLeast(version, 'ventura'));
    assert.equal(msgCols.has('associated_message_emoji'), atLeast(version, 'sequoia'));
    assert.equal(msgCols.has('date_recovered'), version === 'tahoe');
    assert.equal(columnsOf(sim.dbPath, 'chat').has('is_pending_review'), version === 'tahoe');

    const [row] = readRows<{ text: string | null; attributedBody: Buffer | null; date: bigint; handle_id: bigint; is_from_me: bigint }>(sim.dbPath,
      'SELECT text, attributedBody, date, handle_id, is_from_me FROM message WHERE guid = ?', m.guid);
    assert.ok(row);
    if (atLeast(version, 'ventura')) assert.equal(row.text, null);
    else assert.equal(row.text, 'héllo 👋🏽 שלום');
    if (atLeast(version, 'high-sierra')) assert.equal(decodeAttributedBody(row.attributedBody!).text, 'héllo 👋🏽 שלום');
    else assert.equal(row.attributedBody, null);
    const ms = APPLE_EPOCH_MS + (atLeast(version, 'high-sierra') ? Number(row.date / 1_000_000n) : Number(row.date) * 1000);
    assert.equal(ms, atLeast(version, 'high-sierra') ? when.getTime() : Math.floor(when.getTime() / 1000) * 1000);
    assert.equal(row.is_from_me, 0n);
    assert.ok(row.handle_id > 0n);

    const chats = readRows<{ guid: string; style: bigint; chat_identifier: string; display_name: string | null }>(sim.dbPath, 'SELECT guid, style, chat_identifier, display_name FROM chat ORDER BY ROWID');
    const prefix = version === 'tahoe' ? 'any' : 'iMessage';
    assert.equal(chats[0]?.guid, `${prefix};-;+15551234567`);
    assert.equal(chats[0]?.style, 45n);
    assert.match(chats[1]?.guid ?? '', new RegExp(`^${prefix};\\+;chat\\d+$`));
    assert.equal(chats[1]?.style, 43n);
    assert.equal(chats[1]?.display_name, 'Pals');
    const members = readRows(sim.dbPath, 'SELECT * FROM chat_handle_join WHERE chat_id = 2');
    assert.equal(members.length, 2);
    assert.equal(readRows(sim.dbPath, 'SELECT * FROM chat_message_join').length, 2);
    assert.equal(readRows<{ journal_mode: string }>(sim.dbPath, 'PRAGMA journal_mode')[0]?.journal_mode, 'wal');
  });
}

test('one handle per (id, service): the same person on iMessage and SMS', (t) => {
  const sim = MessagesSimulator.create({ dir: tempDir(t) });
  t.after(() => sim.close());
  const im = sim.addChat({ participants: ['+15550001111'] });
  const sms = sim.addChat({ participants: ['+15550001111'], service: 'SMS' });
  assert.equal(sms.guid, 'SMS;-;+15550001111');
  sim.receive(im, { from: '+15550001111', text: 'a' });
  sim.receive(sms, { from: '+15550001111', text: 'b' });
  sim.receive(im, { from: '+15550001111', text: 'c' });
  const handles = sim.db.prepare('SELECT id, service FROM handle ORDER BY ROWID').all();
  assert.deepEqual(handles, [{ id: '+15550001111', service: 'iMessage' }, { id: '+15550001111', service: 'SMS' }]);
  assert.equal(sim.addChat({ participants: ['+15550001111'] }).rowid, im.rowid, 'the same 1:1 chat is not created twice');
});

test('DELETE works on the full Sequoia schema (Apple trigger functions registered)', (t) => {
  const sim = MessagesSimulator.create({ dir: tempDir(t), version: 'sequoia' });
  t.after(() => sim.close());
  const chat = sim.addChat({ participants: ['+15551234567'] });
  const m = sim.receive(chat, { from: '+15551234567', text: 'pic', attachments: [{ name: 'a.jpg' }] });
  sim.urlPreview(chat, { url: 'https://example.com' });
  const triggers = sim.db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'").pluck().get() as number;
  assert.ok(triggers >= 15, 'the real triggers are installed');
  sim.db.exec('DELETE FROM message; DELETE FROM attachment;');
  assert.equal(sim.maxRowid(), 0);
  const deleted = sim.db.prepare('SELECT guid FROM deleted_messages').pluck().all();
  assert.ok(deleted.includes(m.guid), 'the real add_to_deleted_messages trigger ran');
  // Without the no-op functions a plain connection cannot delete.
  const plain = new Database(sim.dbPath);
  t.after(() => plain.close());
  sim.receive(chat, { from: '+15551234567', text: 'x', attachments: [{ name: 'b.jpg' }] });
  assert.throws(() => plain.exec('DELETE FROM attachment'), /no such function/);
});
