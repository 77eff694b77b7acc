// The page path of ChatDb (blob lengths + one concatenated blob per page, chat
// ids from one join scan) must give exactly what the row-by-row path gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { ChatDb } from '../../src/imessage/db/index.ts';
import { BODY_LENGTH, PageBodies } from '../../src/imessage/db/pageBodies.ts';
import type { MessageRow } from '../../src/imessage/db/message.ts';
import { encodeAttributedBody } from '../../src/imessage/typedstream/index.ts';
import { FixtureDb, tempDir, typedstreamBlob } from './fixture.ts';

const T0 = Date.UTC(2024, 0, 1);

function build(t: { after: (fn: () => void) => void }): { path: string; rowids: number[] } {
  const path = join(tempDir(t), 'chat.db');
  const fx = new FixtureDb(path, 'sequoia');
  const alice = fx.handle('+15550001111');
  const one = fx.chat('iMessage;-;+15550001111', { handles: [alice] });
  const two = fx.chat('iMessage;+;chat42', { handles: [alice] });
  const rowids: number[] = [];
  const add = (f: Record<string, unknown>): void => { rowids.push(fx.message({ guid: `G-${rowids.length}`, handle_id: alice, dateMs: T0 + rowids.length * 1000, chatId: one, ...f })); };
  add({ attributedBody: encodeAttributedBody('hello 👋') });
  add({ attributedBody: typedstreamBlob('Attachment') });
  add({ attributedBody: typedstreamBlob('ExtraData'), text: 'kept from the text column' }); // corrupt: warning + fallback
  add({ attributedBody: Buffer.alloc(0), text: 'empty blob' });
  add({ attributedBody: 'a TEXT value where a blob belongs', text: 'text column' });
  add({ text: 'no blob at all' });
  add({ attributedBody: encodeAttributedBody('\uFFFC\ncaption', { runs: [{ start: 0, length: 1, part: 0, attachmentGuid: 'at_0_X' }, { start: 1, length: 8, part: 1 }] }) });
  add({ attributedBody: typedstreamBlob('SingleLink'), chatId: null });
  fx.join(two, rowids[0]!); // in two chats: the lower chat id wins
  fx.join(one, rowids[7]!);
  fx.join(two, rowids[7]!);
  fx.close();
  return { path, rowids };
}

test('paged reads equal row-by-row reads for every body kind, page size and order', (t) => {
  const { path, rowids } = build(t);
  const reference = ChatDb.open(path);
  t.after(() => reference.close());
  const expected = reference.messagesByRowids(rowids);
  assert.equal(expected.length, rowids.length);
  assert.equal(expected[0]!.text, 'hello 👋');
  assert.match(expected[2]!.warnings[0] ?? '', /could not be decoded/);
  assert.equal(expected[2]!.text, 'kept from the text column');
  assert.equal(expected[4]!.text, 'text column');
  assert.equal(expected[6]!.text, 'caption');
  assert.equal(expected[0]!.chatGuid, 'iMessage;-;+15550001111');
  for (const pageSize of [1, 2, 3, 1000]) {
    const db = ChatDb.open(path, { pageSize });
    t.after(() => db.close());
    assert.deepStrictEqual([...db.iterateMessages()], expected, `asc, page ${pageSize}`);
    assert.deepStrictEqual([...db.iterateMessages({ order: 'desc' })], [...expected].reverse(), `desc, page ${pageSize}`);
  }
});

test('a page whose blobs do not add up is re-read row by row', (t) => {
  const { path, rowids } = build(t);
  const db = new Database(path, { readonly: true });
  t.after(() => db.close());
  const bodies = new PageBodies(db);
  const rows = rowids.slice(0, 2).map((id) => {
    const r = new Array(30).fill(null) as unknown as MessageRow;
    r[0] = id;
    r[BODY_LENGTH] = 1; // wrong on purpose: the concatenation is longer
    return r;
  });
  bodies.fill(rows, rowids[0]!, rowids[1]!);
  const direct = db.prepare('SELECT attributedBody FROM message WHERE ROWID = ?').pluck();
  assert.deepEqual(rows[0]![3], direct.get(rowids[0]));
  assert.deepEqual(rows[1]![3], direct.get(rowids[1]));
  assert.ok(PageBodies.usable(db, true));
  assert.equal(PageBodies.usable(db, false), false);
});
