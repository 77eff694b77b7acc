// Compact whole-table pages (pageRows.ts) must expand to exactly what the full
// select gives, for rows that set any one rare column, odd values (NULL flags,
// NULL integers, unknown or differently-cased services, pre-2001 dates, a TEXT
// body) and every schema, page size and order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ChatDb } from '../../src/imessage/db/index.ts';
import { CompactPages } from '../../src/imessage/db/pageRows.ts';
import { messageSelectList, type MessageRow } from '../../src/imessage/db/message.ts';
import { PageBodies } from '../../src/imessage/db/pageBodies.ts';
import { ChatJoins } from '../../src/imessage/db/joins.ts';
import { tableColumns } from '../../src/imessage/db/schema.ts';
import { encodeAttributedBody } from '../../src/imessage/typedstream/index.ts';
import { FixtureDb, summaryBlob, tempDir, type Version } from './fixture.ts';

const T0 = Date.UTC(2024, 0, 1);

function build(t: { after: (fn: () => void) => void }, version: Version): { path: string; rowids: number[] } {
  const path = join(tempDir(t), 'chat.db');
  const fx = new FixtureDb(path, version);
  const alice = fx.handle('+15550001111');
  const bob = fx.handle('bob@example.com');
  const chat = fx.chat('iMessage;+;chat7', { handles: [alice, bob] });
  const rowids: number[] = [];
  const add = (f: Record<string, unknown>): void => {
    rowids.push(fx.message({ guid: `G-${rowids.length}`, handle_id: alice, dateMs: T0 + rowids.length * 1000, chatId: chat,
      attributedBody: encodeAttributedBody(`body ${rowids.length}`), is_delivered: 1, ...f }));
  };
  add({});
  add({ is_from_me: 1, is_sent: 1, dateDeliveredMs: T0 + 5000, service: 'SMS' });
  add({ is_read: 1, dateReadMs: T0 + 9000, service: 'RCS' });
  add({ service: 'any' });
  add({ service: 'imessage' });
  add({ service: null });
  add({ is_from_me: 2, is_sent: null, is_delivered: null, is_read: 7 });
  add({ error: 22 });
  add({ error: null, item_type: null });
  add({ item_type: 1, group_action_type: 0, other_handle: bob });
  add({ item_type: 2, group_title: 'Renamed' });
  add({ item_type: 3, group_action_type: 1 });
  add({ group_title: '' });
  add({ associated_message_guid: 'p:0/G-0', associated_message_type: 2000 });
  add({ associated_message_guid: 'p:0/G-0', associated_message_type: 2006, associated_message_emoji: '🦊' });
  add({ balloon_bundle_id: 'com.apple.messages.URLBalloonProvider', payload_data: Buffer.from([1, 2]) });
  add({ payload_data: Buffer.from([3]) });
  add({ thread_originator_guid: 'G-0', thread_originator_part: '0:0:5' });
  add({ dateEditedMs: T0 + 60_000, message_summary_info: summaryBlob('Edited.plist') });
  add({ dateRetractedMs: T0 + 60_000 });
  add({ date_edited: -5, date_retracted: 0 });
  add({ date_edited: 0, message_summary_info: Buffer.from('ignored: not edited') });
  add({ attributedBody: 'a TEXT value where a blob belongs', text: 'text column' });
  add({ attributedBody: null, text: 'text only' });
  add({ date_read: null, date_delivered: null });
  fx.close();
  return { path, rowids };
}

for (const version of ['el-capitan', 'high-sierra', 'sequoia', 'sequoia-26'] as const) {
  test(`paged reads equal row-by-row reads for rare and odd values (${version})`, (t) => {
    const { path, rowids } = build(t, version);
    const reference = ChatDb.open(path);
    t.after(() => reference.close());
    const expected = reference.messagesByRowids(rowids);
    assert.equal(expected.length, rowids.length);
    assert.equal(expected[1]!.service, 'SMS');
    assert.equal(expected[1]!.fromMe, true);
    assert.equal(expected[6]!.fromMe, false);
    if (version !== 'el-capitan') assert.equal(expected[13]!.kind, 'reaction');
    for (const pageSize of [1, 3, 7, 1000]) {
      const db = ChatDb.open(path, { pageSize });
      t.after(() => db.close());
      assert.deepStrictEqual([...db.iterateMessages()], expected, `asc, page ${pageSize}`);
      assert.deepStrictEqual([...db.iterateMessages({ order: 'desc' })], [...expected].reverse(), `desc, page ${pageSize}`);
    }
  });
}

test('expanded rows equal the full select, with or without page bodies and join scans', (t) => {
  const { path } = build(t, 'sequoia');
  const db = new Database(path, { readonly: true });
  t.after(() => db.close());
  const present = tableColumns(db, 'message');
  const full = db.prepare(`SELECT ${messageSelectList(present)}, (SELECT chat_id FROM chat_message_join WHERE message_id = m.ROWID ORDER BY chat_id LIMIT 1) FROM message m ORDER BY m.ROWID`).raw().all() as MessageRow[];
  const is1 = (v: unknown): number => (v === 1 ? 1 : 0);
  const normalized = full.map((r) => {
    const x = [...r] as unknown[];
    for (const i of [6, 12, 13, 14]) x[i] = is1(x[i]);
    return x;
  });
  for (const bodyLengths of [false, true]) {
    for (const chatIdsLater of [false, true]) {
      const pages = new CompactPages(db, present, { bodyLengths, chatIdsLater });
      const compact = db.prepare(`SELECT ${pages.selectList} FROM message m ORDER BY m.ROWID`).raw().all() as unknown[][];
      const lo = compact[0]![0] as number;
      const hi = compact.at(-1)![0] as number;
      const rows = pages.expand(compact, lo, hi);
      if (chatIdsLater) new ChatJoins(db, path).fill(rows, lo, hi);
      if (bodyLengths) new PageBodies(db).fill(rows, lo, hi);
      const got = rows.map((r) => r.slice(0, 29));
      assert.deepStrictEqual(got, normalized, `bodyLengths ${bodyLengths}, chatIdsLater ${chatIdsLater}`);
    }
  }
});

/** Every row through `read`, page after page as ChatDb walks them, checking that no page holds more than `n`. */
function readAll(db: Database.Database, path: string, pages: CompactPages, n: number, desc: boolean): unknown[][] {
  const joins = new ChatJoins(db, path);
  const bodies = new PageBodies(db);
  const got: unknown[][] = [];
  let lo = -1;
  let hi = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const { rows, next } = pages.read(lo, hi, n, desc);
    assert.ok(rows.length <= n, `a page of ${rows.length} rows asked for ${n}`);
    if (rows.length > 0) {
      const a = Math.min(rows[0]![0], rows.at(-1)![0]);
      const b = Math.max(rows[0]![0], rows.at(-1)![0]);
      joins.fill(rows, a, b);
      bodies.fill(rows, a, b);
      got.push(...rows.map((r) => r.slice(0, 29)));
    }
    if (next === null) return got;
    if (desc) hi = next; else lo = next;
  }
}

test('JSON pages (one json_array text per page) equal the full select in both orders and at every page size', (t) => {
  const { path } = build(t, 'sequoia');
  const db = new Database(path, { readonly: true });
  t.after(() => db.close());
  const present = tableColumns(db, 'message');
  const expected = fullRows(db, present);
  const pages = new CompactPages(db, present, { bodyLengths: true, chatIdsLater: true });
  assert.ok((pages as unknown as { json: unknown }).json, 'a UTF-8 chat.db with a message_id join index reads pages as JSON');
  for (const n of [1, 4, 1000]) {
    for (const desc of [false, true]) {
      assert.deepStrictEqual(readAll(db, path, pages, n, desc), desc ? [...expected].reverse() : expected, `page ${n}, ${desc ? 'desc' : 'asc'}`);
    }
  }
});

test('sparse ROWIDs (deleted rows, a merged chat.db): JSON pages skip the gaps and miss nothing, and a limit still counts rows', (t) => {
  const { path } = build(t, 'sequoia');
  // Spread the rows out: gaps of 1, 10, 1,000 and 10^9 ROWIDs, the join moved along with them.
  const w = new Database(path);
  w.pragma('foreign_keys = OFF');
  const ids = w.prepare('SELECT ROWID FROM message ORDER BY ROWID').pluck().all() as number[];
  const target = (k: number): number => [1, 3, 14, 1014, 1015, 1_000_001_015][k] ?? 1_000_001_015 + k * 2;
  w.transaction(() => {
    for (const [k, id] of [...ids.entries()].reverse()) {
      w.prepare('UPDATE message SET ROWID = ? WHERE ROWID = ?').run(target(k) + 5_000_000_000, id);
      w.prepare('UPDATE chat_message_join SET message_id = ? WHERE message_id = ?').run(target(k) + 5_000_000_000, id);
    }
    w.exec('UPDATE message SET ROWID = ROWID - 5000000000; UPDATE chat_message_join SET message_id = message_id - 5000000000');
  })();
  w.close();
  const db = new Database(path, { readonly: true });
  t.after(() => db.close());
  const present = tableColumns(db, 'message');
  const expected = fullRows(db, present);
  assert.deepEqual(expected.map((r) => r[0]), ids.map((_, k) => target(k)));
  const pages = new CompactPages(db, present, { bodyLengths: true, chatIdsLater: true });
  for (const n of [1, 2, 4, 1000]) {
    for (const desc of [false, true]) {
      assert.deepStrictEqual(readAll(db, path, pages, n, desc), desc ? [...expected].reverse() : expected, `page ${n}, ${desc ? 'desc' : 'asc'}`);
    }
  }
  // Through ChatDb: a limit across the gaps gives exactly that many rows, at any page size.
  for (const pageSize of [1, 3, 1000]) {
    const chatDb = ChatDb.open(path, { pageSize });
    try {
      assert.deepEqual([...chatDb.iterateMessages({ order: 'desc', limit: 4 })].map((m) => m.rowid), ids.map((_, k) => target(k)).reverse().slice(0, 4), `pageSize ${pageSize}`);
      assert.deepEqual([...chatDb.iterateMessages({ sinceRowid: 2, limit: 3 })].map((m) => m.rowid), [3, 14, 1014], `pageSize ${pageSize}`);
      assert.equal([...chatDb.iterateMessages()].length, ids.length, `pageSize ${pageSize}`);
    } finally {
      chatDb.close();
    }
  }
});

test('a page SQLite cannot put into JSON (a blob in a text column) is read in the compact form instead', (t) => {
  const path = join(tempDir(t), 'chat.db');
  const fx = new FixtureDb(path, 'sequoia');
  const alice = fx.handle('+15550001111');
  const chat = fx.chat('iMessage;-;+15550001111', { handles: [alice] });
  fx.message({ guid: 'G-0', handle_id: alice, dateMs: T0, chatId: chat, attributedBody: encodeAttributedBody('fine'), text: Buffer.from([1, 2]) });
  fx.message({ guid: 'G-1', handle_id: alice, dateMs: T0 + 1, chatId: chat, attributedBody: encodeAttributedBody('odd'), group_title: Buffer.from([0x13, 0x37]) });
  fx.close();
  const db = new Database(path, { readonly: true });
  t.after(() => db.close());
  const present = tableColumns(db, 'message');
  // The hazard: these bytes are valid JSONB, which json_array would read as the number 7.
  assert.equal(db.prepare("SELECT json_array(group_title) FROM message WHERE guid = 'G-1'").pluck().get(), '[7]');
  const pages = new CompactPages(db, present, { bodyLengths: true, chatIdsLater: true });
  // One row per page: each odd row must fall back on its own, not ride on its neighbour's failure.
  const rows: MessageRow[] = [];
  for (let lo = -1; ;) {
    const { rows: page } = pages.read(lo, Number.MAX_SAFE_INTEGER, 1, false);
    if (page.length === 0) break;
    lo = page[0]![0];
    new ChatJoins(db, path).fill(page, lo, lo);
    new PageBodies(db).fill(page, lo, lo);
    rows.push(...page);
  }
  assert.deepStrictEqual(rows.map((r) => r.slice(0, 29)), fullRows(db, present));
  assert.deepEqual(rows[1]![18], Buffer.from([0x13, 0x37]));
  assert.deepEqual(rows[0]![2], Buffer.from([1, 2]));
});

/** The reference: the full select row by row, flags as 0/1 (what the compact forms give). */
function fullRows(db: Database.Database, present: ReadonlySet<string>): unknown[][] {
  const full = db.prepare(`SELECT ${messageSelectList(present)}, (SELECT chat_id FROM chat_message_join WHERE message_id = m.ROWID ORDER BY chat_id LIMIT 1) FROM message m ORDER BY m.ROWID`).raw().all() as MessageRow[];
  return full.map((r) => {
    const x = [...r] as unknown[];
    for (const i of [6, 12, 13, 14]) x[i] = x[i] === 1 ? 1 : 0;
    return x;
  });
}
