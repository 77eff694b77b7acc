// iterateMessages({ attachments: false }) (src/imessage/db/index.ts): the same
// messages, in the same order, with no attachments; what the search backfill
// reads, since the index never looks at them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatDb } from '../../src/imessage/db/index.ts';
import { generate } from '../../src/sim/generator.ts';

test('a read without attachments gives the same messages, only without their attachments', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imb-iterate-att-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const gen = generate({ dir, messages: 3_000, chats: 6, seed: 21 });
  const db = ChatDb.open(gen.dbPath, { home: join(dir, 'home') });
  t.after(() => db.close());
  for (const range of [{}, { sinceRowid: 500, beforeRowid: 2_200 }, { chat: db.chats()[0]!.guid }]) {
    const full = [...db.iterateMessages(range)];
    const bare = [...db.iterateMessages({ ...range, attachments: false })];
    assert.ok(full.length > 0);
    if (!('chat' in range)) assert.ok(full.some((m) => m.attachments.length > 0), 'the generator wrote attachments');
    assert.ok(bare.every((m) => m.attachments.length === 0), 'no attachments');
    assert.deepEqual(bare, full.map((m) => ({ ...m, attachments: [] })), JSON.stringify(range));
  }
});
