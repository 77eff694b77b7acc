// ChatDb's reading API: paging, filters, lookups, WAL visibility, rescans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ChatDb } from '../../src/imessage/db/index.ts';
import { readOnlyUri } from '../../src/imessage/db/open.ts';
import { reportMissing } from '../../src/imessage/db/schema.ts';
import { MESSAGE_COLUMNS } from '../../src/imessage/db/message.ts';
import { appleToEpochMs } from '../../src/imessage/dates.ts';
import { createLogger, setLogger } from '../../src/log.ts';
import { FixtureDb, SHARED, tempDir } from './fixture.ts';
import { ALICE, at, writeScenario } from './scenario.ts';

test('the real Sequoia test.db: exact nanosecond dates, decoded bodies, no chat yet', (t) => {
  const path = join(tempDir(t), 'chat.db');
  copyFileSync(join(SHARED, 'chatdb/test.db'), path);
  const db = ChatDb.open(path);
  t.after(() => db.close());
  const all = [...db.iterateMessages()];
  assert.deepEqual(all.map((m) => m.rowid), [123445, 452567, 548216]);
  assert.equal(all[0]!.date, appleToEpochMs(760569924490443600n));
  assert.equal(all[2]!.dateDelivered, appleToEpochMs(779490427786147100n));
  for (const m of all) {
    assert.equal(m.chatGuid, null);
    assert.deepEqual(m.warnings, []);
    assert.ok(m.rawText.length > 0, 'attributedBody decoded although text is empty');
    // eslint-disable-next-line no-control-regex -- looking for exactly those bytes
    assert.ok(!/[\u0000-\u0008\u000e-\u001f]/.test(m.text), 'no binary garbage');
  }
  assert.equal(all[2]!.sender, 'me');
  assert.equal(db.messageByGuid('56FE94B9-2345-4A3C-A57F-949BDDDDF9FF')?.rowid, 548216);
  assert.equal(db.messageByGuid('nope'), null);
  assert.deepEqual(db.chats(), []);
});

test('opens through a mode=ro URI, never immutable', () => {
  const uri = readOnlyUri('/tmp/a b/chat#1.db');
  assert.equal(uri, 'file:///tmp/a%20b/chat%231.db?mode=ro');
  assert.ok(!uri.includes('immutable'));
});

function scenarioDb(t: Parameters<typeof tempDir>[0], pageSize = 3): { fx: FixtureDb; db: ChatDb; s: ReturnType<typeof writeScenario> } {
  const fx = new FixtureDb(join(tempDir(t), 'chat.db'), 'sonoma');
  fx.db.pragma('wal_autocheckpoint = 0');
  const s = writeScenario(fx);
  const db = ChatDb.open(fx.path, { pageSize, busyTimeoutMs: 2000 });
  t.after(() => { db.close(); fx.close(); });
  return { fx, db, s };
}

test('sees rows committed after it opened, including rows only in the WAL, and holds no read transaction between pages', (t) => {
  const { fx, db, s } = scenarioDb(t, 2);
  const max = db.maxRowid();
  const it = db.iterateMessages();
  assert.equal(it.next().value?.guid, s.guids.plain);
  // Mid-iteration: a writer can truncate the WAL, which it cannot while a reader pins a snapshot.
  const busy = fx.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  assert.equal(busy[0]!.busy, 0);
  const late = fx.message({ guid: 'LATE-1', text: 'late arrival', handle_id: 1, dateMs: at(60) });
  assert.ok(statSync(`${fx.path}-wal`).size > 0, 'the new row lives in the WAL');
  const rest = [...it];
  assert.equal(rest.at(-1)?.guid, 'LATE-1');
  const after = db.messagesAfter(max, 10);
  assert.deepEqual(after.map((m) => [m.rowid, m.chatGuid, m.text]), [[late, null, 'late arrival']]);
  // The chat join lands later (Messages commits it separately): the next read has the chat.
  fx.join(1, late, at(60));
  assert.equal(db.messagesByRowids([late])[0]?.chatGuid, s.chats.one);
  // New handles and chats created after open are found.
  const dave = fx.handle('+15557770000');
  const chat = fx.chat('iMessage;-;+15557770000', { handles: [dave] });
  const m = fx.message({ guid: 'DAVE-1', text: 'hi', handle_id: dave, dateMs: at(61), chatId: chat });
  const got = db.messagesByRowids([m])[0]!;
  assert.deepEqual([got.sender, got.chatGuid], ['+15557770000', 'iMessage;-;+15557770000']);
  assert.equal(db.maxRowid(), m);
});

test('iterate: chat by guid or handle, order, bounds, limit and paging', (t) => {
  const { fx, db, s } = scenarioDb(t, 2);
  const inOne = [...db.iterateMessages({ chat: s.chats.one })];
  assert.ok(inOne.length > 5);
  assert.ok(inOne.every((m) => m.chatGuid === s.chats.one));
  assert.deepEqual(inOne.map((m) => m.rowid), [...inOne.map((m) => m.rowid)].sort((a, b) => a - b));
  // A handle names every chat with it: iMessage and SMS threads with the same person.
  const smsChat = fx.chat(`SMS;-;${ALICE}`, { handles: [fx.handle(ALICE, 'SMS')] });
  const smsMsg = fx.message({ guid: 'SMS-ALICE', text: 'via sms', service: 'SMS', dateMs: at(70), chatId: smsChat });
  const byHandle = [...db.iterateMessages({ chat: ALICE })];
  assert.equal(byHandle.length, inOne.length + 1);
  assert.equal(byHandle.at(-1)?.rowid, smsMsg);
  const desc = [...db.iterateMessages({ chat: s.chats.one, order: 'desc', limit: 3 })];
  assert.deepEqual(desc.map((m) => m.rowid), inOne.slice(-3).reverse().map((m) => m.rowid));
  const window = [...db.iterateMessages({ sinceRowid: 3, beforeRowid: 9 })];
  assert.deepEqual(window.map((m) => m.rowid), [4, 5, 6, 7, 8]);
  assert.equal([...db.iterateMessages({ limit: 5 })].length, 5);
  assert.deepEqual([...db.iterateMessages({ chat: 'nobody' })], []);
  assert.deepEqual(db.messagesAfter(3, 2).map((m) => m.rowid), [4, 5]);
  assert.deepEqual(db.messagesByRowids([9, 2, 99999]).map((m) => m.rowid), [2, 9]);
  assert.deepEqual(db.messagesByRowids([]), []);
});

test('attachment(guid, part) and changedSince', (t) => {
  const { fx, db, s } = scenarioDb(t);
  assert.equal(db.attachment(s.guids.multi!, 1)?.transferName, 'Audio Message.caf');
  assert.equal(db.attachment(s.guids.multi!, 3), null);
  assert.equal(db.attachment('missing', 0), null);
  const now = Date.now();
  assert.deepEqual(db.changedSince(now - 60_000, db.maxRowid()), []);
  // Read receipt, edit and delivery land on old rows, in place.
  fx.db.prepare('UPDATE message SET date_read = ?, is_read = 1 WHERE guid = ?').run(fx.appleDate(now), s.guids.mine);
  fx.db.prepare('UPDATE message SET date_edited = ? WHERE guid = ?').run(fx.appleDate(now), s.guids.plain);
  // A seconds-era value is compared in its own unit.
  fx.db.prepare('UPDATE message SET date_delivered = ? WHERE guid = ?').run(BigInt(Math.trunc((now - 978_307_200_000) / 1000)), s.guids.body);
  const changed = db.changedSince(now - 60_000, db.maxRowid());
  assert.deepEqual(changed.map((m) => m.guid).sort(), [s.guids.mine, s.guids.plain, s.guids.body].sort());
  assert.equal(changed.find((m) => m.guid === s.guids.mine)?.isRead, true);
  assert.deepEqual(db.changedSince(now - 60_000, s.rowids.plain!).map((m) => m.guid), [s.guids.plain]);
  // The lower ROWID bound keeps a poll from reading the whole table.
  const rowids = changed.map((m) => m.rowid).sort((a, b) => a - b);
  assert.deepEqual(db.changedSince(now - 60_000, db.maxRowid(), rowids[1]!).map((m) => m.rowid), rowids.slice(1));
});

test('a schema that lacks columns is logged once per table', () => {
  const lines: string[] = [];
  setLogger(createLogger('info', new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } })));
  const present = new Set(['guid', 'text', 'date']);
  const missing = reportMissing('/x/chat.db', 'message', MESSAGE_COLUMNS, present);
  reportMissing('/x/chat.db', 'message', MESSAGE_COLUMNS, present);
  assert.ok(missing.includes('date_edited') && missing.includes('associated_message_emoji'));
  assert.ok(!missing.includes('text'));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /missing columns read as defaults/);
});
