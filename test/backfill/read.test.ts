// Reading a chat's history from a real chat.db (the simulator's) and planning it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatDb } from '../../src/imessage/db/index.ts';
import { readHistory } from '../../src/core/backfill/read.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { EDITED, HISTORY, TAPPED, UNSENT, seedHistory } from './support.ts';

test('a chat with 30 earlier messages, a tapback, an edit and an unsend plans 30 lines in order', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'backfill-read-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sim = MessagesSimulator.create({ dir: join(dir, 'sim') });
  t.after(() => sim.close({ pending: 'drop' }));
  const chat = sim.addChat({ participants: ['+15550001111'] });
  const other = sim.addChat({ participants: ['+15550002222'] });
  sim.receive(other, { from: '+15550002222', text: 'another chat' });
  const seeded = seedHistory(sim, chat, '+15550001111');
  const live = sim.receive(chat, { from: '+15550001111', text: 'live' });
  const reader = ChatDb.open(sim.dbPath, { home: sim.home });
  t.after(() => reader.close());

  const plan = readHistory(reader, chat.guid, { messages: 50, maxAgeDays: 30 }, Date.now(), live.rowid);
  assert.equal(plan.length, HISTORY);
  assert.deepEqual(plan.map((h) => h.message.text), seeded.texts);
  assert.deepEqual(plan.map((h) => h.message.date), seeded.dates);
  assert.deepEqual(plan[TAPPED]!.reactions.map((r) => r.emoji), ['❤️']);
  assert.equal(plan[EDITED]!.edited, true);
  assert.equal(plan[UNSENT]!.unsent, true);
  assert.equal(plan.filter((h) => h.reactions.length > 0).length, 1);

  const lastTen = readHistory(reader, chat.guid, { messages: 10, maxAgeDays: 30 }, Date.now(), live.rowid);
  assert.deepEqual(lastTen.map((h) => h.message.text), seeded.texts.slice(-10));
  const tooOld = readHistory(reader, chat.guid, { messages: 50, maxAgeDays: 30 }, Date.now() + 30 * 24 * 3600_000, live.rowid);
  assert.deepEqual(tooOld, []);
});
