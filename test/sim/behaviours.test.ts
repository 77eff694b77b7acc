import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeAttributedBody } from '../../src/imessage/typedstream/index.ts';
import { MessagesSimulator, SimulatorError } from '../../src/sim/simulator.ts';
import { readRows, tempDir, waitFor } from './support.ts';

const PHONE = '+15551234567';

function setup(t: { after(fn: () => void): void }, version: Parameters<typeof MessagesSimulator.create>[0]['version'] = 'sequoia') {
  const sim = MessagesSimulator.create({ dir: tempDir(t), version });
  t.after(() => sim.close({ pending: 'drop' }));
  const chat = sim.addChat({ participants: [PHONE] });
  return { sim, chat };
}

test('checkpoint({ replaceWal }) recreates -wal and -shm as new files; a fresh reader sees later rows', (t) => {
  const { sim, chat } = setup(t);
  sim.receive(chat, { from: PHONE, text: 'before' });
  const wal = `${sim.dbPath}-wal`;
  const shm = `${sim.dbPath}-shm`;
  const before = { wal: statSync(wal).ino, shm: statSync(shm).ino };
  sim.checkpoint({ replaceWal: true });
  assert.ok(existsSync(wal) && existsSync(shm), 'the files exist again after the checkpoint');
  assert.notEqual(statSync(wal).ino, before.wal, '-wal is a new inode');
  assert.notEqual(statSync(shm).ino, before.shm, '-shm is a new inode');
  sim.receive(chat, { from: PHONE, text: 'after' });
  assert.ok(statSync(wal).size > 0, 'new rows go to the new WAL');
  assert.equal(readRows(sim.dbPath, 'SELECT 1 FROM message').length, 2);
  // A plain checkpoint keeps the files.
  const ino = statSync(wal).ino;
  sim.checkpoint();
  assert.equal(statSync(wal).ino, ino);
});

test('rows are written by the simulator\'s own connection and visible to a separate reader at once', (t) => {
  const { sim, chat } = setup(t);
  const reader = new Database(sim.dbPath, { readonly: true });
  t.after(() => reader.close());
  const count = reader.prepare('SELECT COUNT(*) FROM message').pluck();
  assert.equal(count.get(), 0);
  sim.receive(chat, { from: PHONE, text: 'one' });
  assert.equal(count.get(), 1);
});

test('joinDelayMs: the message row is committed before its chat_message_join row', async (t) => {
  const { sim, chat } = setup(t);
  const m = sim.receive(chat, { from: PHONE, text: 'orphan for a moment', joinDelayMs: 150 });
  const joined = () => readRows(sim.dbPath, 'SELECT 1 FROM chat_message_join WHERE message_id = ?', m.rowid).length === 1;
  assert.equal(readRows(sim.dbPath, 'SELECT 1 FROM message WHERE ROWID = ?', m.rowid).length, 1);
  assert.equal(joined(), false, 'no join yet');
  assert.equal(sim.pendingWrites, 1);
  await m.settled;
  assert.equal(joined(), true);
  assert.equal(sim.pendingWrites, 0);
});

test('sendFromMe with flipDelayMs: first is_from_me=0 as the recipient, then flipped to 1 in place', async (t) => {
  const { sim, chat } = setup(t);
  const m = sim.sendFromMe(chat, { text: 'on my way', flipDelayMs: 200 });
  const row = () => readRows<{ is_from_me: bigint; is_sent: bigint; is_finished: bigint; handle_id: bigint }>(sim.dbPath,
    'SELECT is_from_me, is_sent, is_finished, handle_id FROM message WHERE ROWID = ?', m.rowid)[0]!;
  const handle = readRows<{ ROWID: bigint }>(sim.dbPath, 'SELECT ROWID FROM handle WHERE id = ?', PHONE)[0]!.ROWID;
  assert.deepEqual(row(), { is_from_me: 0n, is_sent: 0n, is_finished: 0n, handle_id: handle });
  await m.settled;
  assert.deepEqual(row(), { is_from_me: 1n, is_sent: 1n, is_finished: 1n, handle_id: handle });
  assert.equal(sim.maxRowid(), m.rowid, 'flipped in place, no new row');
});

test('close() writes a pending flip before closing (short-lived processes like the fake osascript)', (t) => {
  const dir = tempDir(t);
  const sim = MessagesSimulator.create({ dir });
  const chat = sim.addChat({ participants: [PHONE] });
  const started = Date.now();
  const m = sim.sendFromMe(chat, { text: 'x', flipDelayMs: 120, error: 22 });
  sim.close();
  assert.ok(Date.now() - started >= 100, 'close waited for the flip to be due');
  const [r] = readRows<{ is_from_me: bigint; error: bigint; is_sent: bigint }>(sim.dbPath, 'SELECT is_from_me, error, is_sent FROM message WHERE ROWID = ?', m.rowid);
  assert.deepEqual(r, { is_from_me: 1n, error: 22n, is_sent: 0n });
});

test('ghost row: an empty outgoing row with no chat join', (t) => {
  const { sim, chat } = setup(t, 'tahoe');
  const m = sim.sendFromMe(chat, { text: 'lost', ghost: true });
  const [r] = readRows<{ text: unknown; attributedBody: unknown; is_from_me: bigint }>(sim.dbPath, 'SELECT text, attributedBody, is_from_me FROM message WHERE ROWID = ?', m.rowid);
  assert.deepEqual(r, { text: null, attributedBody: null, is_from_me: 1n });
  assert.equal(readRows(sim.dbPath, 'SELECT 1 FROM chat_message_join WHERE message_id = ?', m.rowid).length, 0);
});

test('replaceDatabase(): a new file (new inode) whose MAX(ROWID) is lower; the chats survive', (t) => {
  const { sim, chat } = setup(t);
  for (let i = 0; i < 10; i++) sim.receive(chat, { from: PHONE, text: `m${i}` });
  const ino = statSync(sim.dbPath).ino;
  assert.equal(sim.maxRowid(), 10);
  sim.replaceDatabase();
  assert.notEqual(statSync(sim.dbPath).ino, ino);
  assert.equal(sim.maxRowid(), 5);
  assert.equal(readRows(sim.dbPath, 'SELECT 1 FROM message').length, 5);
  const next = sim.receive(chat, { from: PHONE, text: 'after restore' });
  assert.equal(next.rowid, 6, 'ROWIDs are reused after the restore');
  sim.replaceDatabase({ keepChats: false });
  assert.equal(sim.maxRowid(), 0);
  assert.equal(sim.findChat(PHONE), null);
});

test('iCloud sync: old messages arrive with new ROWIDs; duplicates get a new guid', (t) => {
  const { sim, chat } = setup(t);
  const recent = sim.receive(chat, { from: PHONE, text: 'today' });
  const old = sim.receive(chat, { from: PHONE, text: 'last year', date: new Date('2023-05-01T00:00:00Z') });
  assert.ok(old.rowid > recent.rowid);
  const [a, b] = readRows<{ date: bigint }>(sim.dbPath, 'SELECT date FROM message ORDER BY ROWID');
  assert.ok(b!.date < a!.date, 'the higher ROWID holds the older date');
  const dup = sim.syncDuplicate(recent.guid);
  assert.notEqual(dup.guid, recent.guid);
  assert.ok(dup.rowid > old.rowid);
  const texts = readRows<{ attributedBody: Buffer }>(sim.dbPath, 'SELECT attributedBody FROM message WHERE guid IN (?, ?)', recent.guid, dup.guid);
  assert.deepEqual(texts.map((r) => decodeAttributedBody(r.attributedBody).text), ['today', 'today']);
});

test('attachments: files under the fake home, ~ paths, mime/UTI, U+FFFC runs carrying the guid', (t) => {
  const { sim, chat } = setup(t);
  const m = sim.receive(chat, {
    from: PHONE, text: 'look',
    attachments: [{ name: 'IMG_0001.HEIC', bytes: Buffer.from('heic!') }, { name: 'Audio Message.caf', bytes: 4096 }, { name: 'cat.heic', sticker: true }],
  });
  const atts = readRows<{ guid: string; filename: string; mime_type: string; uti: string; transfer_name: string; total_bytes: bigint; is_sticker: bigint }>(sim.dbPath,
    `SELECT a.guid, a.filename, a.mime_type, a.uti, a.transfer_name, a.total_bytes, a.is_sticker FROM attachment a
     JOIN message_attachment_join j ON j.attachment_id = a.ROWID WHERE j.message_id = ? ORDER BY a.ROWID`, m.rowid);
  assert.equal(atts.length, 3);
  assert.match(atts[0]!.filename, /^~\/Library\/Messages\/Attachments\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9A-F-]{36}\/IMG_0001\.HEIC$/);
  assert.equal(readFileSync(join(sim.home, atts[0]!.filename.slice(2)), 'utf8'), 'heic!');
  assert.deepEqual([atts[0]!.mime_type, atts[0]!.uti], ['image/heic', 'public.heic']);
  assert.deepEqual([atts[1]!.uti, atts[1]!.total_bytes], ['com.apple.coreaudio-format', 4096n]);
  assert.match(atts[2]!.filename, /^~\/Library\/Messages\/StickerCache\//);
  assert.equal(atts[2]!.is_sticker, 1n);
  const [row] = readRows<{ attributedBody: Buffer; is_audio_message: bigint; cache_has_attachments: bigint }>(sim.dbPath, 'SELECT attributedBody, is_audio_message, cache_has_attachments FROM message WHERE ROWID = ?', m.rowid);
  const body = decodeAttributedBody(row!.attributedBody);
  assert.equal(body.text, '\uFFFC\uFFFC\uFFFClook');
  assert.deepEqual(body.runs.filter((r) => r.attachmentGuid).map((r) => [r.start, r.attachmentGuid]), atts.map((a, i) => [i, a.guid]));
  assert.equal(row!.is_audio_message, 1n);
  assert.equal(row!.cache_has_attachments, 1n);
});

test('tapbacks: p:N/GUID targets, removals, emoji tapbacks with associated_message_emoji, bp: for balloons', (t) => {
  const { sim, chat } = setup(t);
  const target = sim.receive(chat, { from: PHONE, text: 'hello' });
  const love = sim.tapback(chat, { target: target.guid, type: 'love' });
  const gone = sim.tapback(chat, { from: PHONE, target: target.guid, type: 'love', remove: true });
  const emoji = sim.tapback(chat, { from: PHONE, target: target.guid, type: 'emoji', emoji: '🎉', part: 0 });
  const link = sim.urlPreview(chat, { from: PHONE, url: 'https://example.com/x' });
  const onLink = sim.tapback(chat, { target: link.guid, type: 'laugh' });
  const rows = readRows<{ guid: string; associated_message_guid: string; associated_message_type: bigint; associated_message_emoji: string | null; is_from_me: bigint; attributedBody: Buffer }>(sim.dbPath,
    'SELECT guid, associated_message_guid, associated_message_type, associated_message_emoji, is_from_me, attributedBody FROM message WHERE associated_message_type != 0 ORDER BY ROWID');
  const by = new Map(rows.map((r) => [r.guid, r]));
  assert.deepEqual([by.get(love.guid)!.associated_message_guid, by.get(love.guid)!.associated_message_type, by.get(love.guid)!.is_from_me], [`p:0/${target.guid}`, 2000n, 1n]);
  assert.equal(decodeAttributedBody(by.get(love.guid)!.attributedBody).text, 'Loved “hello”');
  assert.equal(by.get(gone.guid)!.associated_message_type, 3000n);
  assert.deepEqual([by.get(emoji.guid)!.associated_message_type, by.get(emoji.guid)!.associated_message_emoji], [2006n, '🎉']);
  assert.deepEqual([by.get(onLink.guid)!.associated_message_guid, by.get(onLink.guid)!.associated_message_type], [`bp:${link.guid}`, 2003n]);
  // Versions without the feature refuse clearly instead of writing something Messages never would.
  const old = setup(t, 'sonoma');
  const m = old.sim.receive(old.chat, { from: PHONE, text: 'x' });
  assert.throws(() => old.sim.tapback(old.chat, { target: m.guid, type: 'emoji', emoji: '🎉' }), (e: unknown) => e instanceof SimulatorError && e.code === 'unsupported' && /newer version/.test(e.advice));
});

test('replies carry thread_originator_guid and part "part:start:length"', (t) => {
  const { sim, chat } = setup(t);
  const root = sim.receive(chat, { from: PHONE, text: 'hello' });
  const reply = sim.sendFromMe(chat, { text: 'hi back', replyTo: { guid: root.guid } });
  const [r] = readRows<{ thread_originator_guid: string; thread_originator_part: string }>(sim.dbPath, 'SELECT thread_originator_guid, thread_originator_part FROM message WHERE ROWID = ?', reply.rowid);
  assert.deepEqual(r, { thread_originator_guid: root.guid, thread_originator_part: '0:0:5' });
});

test('group events: rename, add, remove, leave, photo, with actor and other_handle', (t) => {
  const { sim } = setup(t);
  const g = sim.addChat({ participants: [PHONE, 'b@example.com'], group: true });
  sim.receive(g, { from: 'b@example.com', text: 'hey all' });
  sim.groupEvent(g, { type: 'renamed', name: 'Weekend 🏕️', actor: PHONE });
  sim.groupEvent(g, { type: 'member_added', handle: '+15559990000' });
  sim.groupEvent(g, { type: 'member_removed', handle: '+15559990000', actor: PHONE });
  sim.groupEvent(g, { type: 'member_left', actor: 'b@example.com' });
  sim.groupEvent(g, { type: 'photo_changed' });
  const rows = readRows<{ item_type: bigint; group_action_type: bigint; group_title: string | null; other: string | null; actor: string | null; is_from_me: bigint; text: unknown }>(sim.dbPath,
    `SELECT m.item_type, m.group_action_type, m.group_title, o.id AS other, h.id AS actor, m.is_from_me, m.text FROM message m
     LEFT JOIN handle o ON o.ROWID = m.other_handle LEFT JOIN handle h ON h.ROWID = m.handle_id WHERE m.item_type != 0 ORDER BY m.ROWID`);
  assert.deepEqual(rows.map((r) => [Number(r.item_type), Number(r.group_action_type), r.group_title, r.other, r.is_from_me ? 'me' : r.actor]), [
    [2, 0, 'Weekend 🏕️', null, PHONE], [1, 0, null, '+15559990000', 'me'], [1, 1, null, '+15559990000', PHONE], [3, 0, null, null, 'b@example.com'], [3, 1, null, null, 'me'],
  ]);
  const chat = sim.findChat(g.guid)!;
  assert.equal(chat.displayName, 'Weekend 🏕️');
  assert.deepEqual(chat.participants, [PHONE]);
  assert.throws(() => sim.groupEvent(PHONE, { type: 'photo_changed' }), /not a group chat/);
});

test('URL previews and app messages: balloon_bundle_id and a payload plist', (t) => {
  const { sim, chat } = setup(t);
  const u = sim.urlPreview(chat, { from: PHONE, url: 'https://example.com/a' });
  const a = sim.appMessage(chat, { bundle: 'com.example.game', text: 'Your move' });
  const rows = readRows<{ guid: string; balloon_bundle_id: string; payload_data: Buffer; attributedBody: Buffer }>(sim.dbPath, 'SELECT guid, balloon_bundle_id, payload_data, attributedBody FROM message ORDER BY ROWID');
  assert.equal(rows[0]!.balloon_bundle_id, 'com.apple.messages.URLBalloonProvider');
  assert.equal(decodeAttributedBody(rows[0]!.attributedBody).text, 'https://example.com/a');
  assert.equal(rows[1]!.balloon_bundle_id, 'com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.example.game');
  assert.equal(decodeAttributedBody(rows[1]!.attributedBody).text, '\uFFFC');
  for (const r of rows) assert.equal(r.payload_data.subarray(0, 8).toString('latin1'), 'bplist00');
  assert.deepEqual([u.guid, a.guid], rows.map((r) => r.guid));
});

test('delivery, read and error update the row in place', (t) => {
  const { sim, chat } = setup(t);
  const m = sim.sendFromMe(chat, { text: 'ping' });
  const state = () => readRows<{ is_delivered: bigint; is_read: bigint; error: bigint; dd: bigint; dr: bigint }>(sim.dbPath,
    'SELECT is_delivered, is_read, error, date_delivered > 0 AS dd, date_read > 0 AS dr FROM message WHERE ROWID = ?', m.rowid)[0]!;
  assert.deepEqual(state(), { is_delivered: 0n, is_read: 0n, error: 0n, dd: 0n, dr: 0n });
  sim.markDelivered(m.guid);
  sim.markRead(m.guid);
  assert.deepEqual(state(), { is_delivered: 1n, is_read: 1n, error: 0n, dd: 1n, dr: 1n });
  sim.setError(m.guid, 4);
  assert.equal(state().error, 4n);
  assert.equal(sim.maxRowid(), m.rowid);
});

test('bad input is refused with a clear error and writes nothing', (t) => {
  const { sim, chat } = setup(t);
  assert.throws(() => sim.receive(chat, { from: PHONE }), (e: unknown) => e instanceof SimulatorError && e.code === 'bad_input');
  assert.throws(() => sim.receive('iMessage;-;+19999999999', { from: PHONE, text: 'x' }), (e: unknown) => e instanceof SimulatorError && e.code === 'not_found');
  assert.throws(() => sim.addChat({ participants: [] }), /at least one participant/);
  assert.throws(() => sim.addChat({ participants: ['a@b.com'], service: 'SMS' }), /email/);
  assert.throws(() => sim.receive(chat, { from: PHONE, attachments: [{ name: '../escape.jpg' }] }), /plain file name/);
  assert.throws(() => sim.edit('NO-SUCH-GUID', 'x'), /no message with guid/);
  assert.equal(sim.maxRowid(), 0);
  assert.equal(readRows(sim.dbPath, 'SELECT 1 FROM attachment').length, 0);
});

test('open(dir) attaches another instance to the same simulated chat.db', async (t) => {
  const dir = tempDir(t);
  const a = MessagesSimulator.create({ dir, version: 'ventura' });
  t.after(() => a.close());
  const chat = a.addChat({ participants: [PHONE] });
  const b = MessagesSimulator.open(dir);
  t.after(() => b.close());
  assert.equal(b.version, 'ventura');
  assert.equal(b.home, a.home);
  assert.equal(b.findChat(chat.guid)?.rowid, chat.rowid);
  const m = b.sendFromMe(chat.guid, { text: 'from the other process', flipDelayMs: 30 });
  await m.settled;
  await waitFor(() => a.maxRowid() === m.rowid, 5000, 'row visible to the first instance');
});
