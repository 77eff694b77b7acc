import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ChatDbWatcher, MemoryCursorStore, type WatchItem } from '../../src/imessage/watch/index.ts';
import { makeSim, memoryLog, RecordingConnector, startCore, waitFor, FAST_WATCH, type TestContext } from '../core/support/harness.ts';
import type { MessagesSimulator } from '../../src/sim/simulator.ts';

function watcherOn(t: TestContext, sim: MessagesSimulator, o: { fileEvents: boolean; pollIntervalMs: number }): { watcher: ChatDbWatcher; items: WatchItem[] } {
  const items: WatchItem[] = [];
  const watcher = new ChatDbWatcher({
    dbPath: sim.dbPath, home: sim.home, consumer: 'test', cursors: new MemoryCursorStore(), log: memoryLog().log,
    pollIntervalMs: o.pollIntervalMs, debounceMs: 20, rescanWindowMs: 600_000, orphanRetryMs: 5_000, fileEvents: o.fileEvents,
    onBatch: (b) => items.push(...b.items),
  });
  t.after(() => watcher.stop());
  return { watcher, items };
}

const newGuids = (items: WatchItem[]): string[] => items.filter((i) => i.type === 'new').map((i) => i.message.guid);

// File events, not the poll, must find these rows: the poll is set far beyond
// the bound, and the bound is generous, since a loaded 2-core machine (the suite
// under stress-ng) can delay a file event by seconds.
const POLL_FAR_AWAY_MS = 300_000;
const FILE_EVENTS_BOUND_MS = 30_000;

test('after the WAL is deleted and recreated, file events still find new rows fast (not only the poll)', async (t) => {
  const { sim } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const { watcher, items } = watcherOn(t, sim, { fileEvents: true, pollIntervalMs: POLL_FAR_AWAY_MS });
  await watcher.start();
  await waitFor(() => watcher.fileEventsReady, 'the file watch ready');
  const m1 = sim.receive(chat, { from: '+15551230001', text: 'before' });
  await waitFor(() => newGuids(items).includes(m1.guid), 'first message via file events', FILE_EVENTS_BOUND_MS);
  const armed = watcher.fileEventsArmed;
  for (let round = 0; round < 3; round++) {
    const passes = watcher.passes;
    sim.checkpoint({ replaceWal: true });
    // The checkpoint's own file events cause a pass (the poll is 30 s away), and
    // any re-arm happens before it; then the (new) watch must finish its scan.
    await waitFor(() => watcher.passes > passes && watcher.fileEventsReady, `the checkpoint seen ${round}`, FILE_EVENTS_BOUND_MS);
    const m = sim.receive(chat, { from: '+15551230001', text: `after ${round}` });
    // The poll is minutes away: only a re-armed file watch can see this within the bound.
    await waitFor(() => newGuids(items).includes(m.guid), `message after WAL replacement ${round}`, FILE_EVENTS_BOUND_MS);
  }
  assert.ok(watcher.fileEventsArmed > armed, 'the file watch was re-armed');
});

test('with file events disabled, the poll alone finds new rows', async (t) => {
  const { sim } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const { watcher, items } = watcherOn(t, sim, { fileEvents: false, pollIntervalMs: 250 });
  await watcher.start();
  const m = sim.receive(chat, { from: '+15551230001', text: 'polled' });
  await waitFor(() => newGuids(items).includes(m.guid), 'message via poll', 5_000);
  assert.equal(watcher.fileEventsArmed, 0);
});

test('chat.db replaced by a restore: resync with a warning, nothing lost, nothing replayed', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const a = new RecordingConnector('a');
  const mem = memoryLog();
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a], log: mem.log });
  const before = Array.from({ length: 10 }, (_, i) => sim.receive(chat, { from: '+15551230001', text: `old ${i}` }).guid);
  await waitFor(() => a.received.length === 10, 'ten messages before the restore');
  const cursorBefore = core.watcher.position.cursor;
  sim.replaceDatabase();
  assert.ok(sim.maxRowid() < cursorBefore, 'the restored file has a lower MAX(ROWID)');
  const after = Array.from({ length: 3 }, (_, i) => sim.receive(chat, { from: '+15551230001', text: `new ${i}` }).guid);
  await waitFor(() => a.received.length >= 13, 'the three new messages');
  // A sentinel: per-chat order means a replayed old row would arrive before it.
  const sentinel = sim.receive(chat, { from: '+15551230001', text: 'sentinel' }).guid;
  await waitFor(() => a.keys().includes(`msg:${sentinel}`), 'the sentinel');
  assert.deepEqual(a.keys(), [...before, ...after, sentinel].map((g) => `msg:${g}`));
  assert.ok(mem.lines().some((l) => l.level === 40 && /resynchroniz/.test(l.msg)), 'a resync warning was logged');
  assert.ok(core.watcher.resyncs >= 1);
});

test('a cursor stored for another chat.db file is not trusted: resync instead of skipping', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const old = Array.from({ length: 5 }, (_, i) => sim.receive(chat, { from: '+15551230001', text: `x${i}` }).guid);
  const a = new RecordingConnector('a');
  const bridge = join(dir, 'bridge.db');
  const first = await startCore(t, { sim, dbPath: bridge, connectors: [a], watch: { ...FAST_WATCH, startAt: 'beginning' } });
  await waitFor(() => a.received.length === 5, 'first five');
  // Pretend the cursor was far ahead in a different file (another Mac's chat.db).
  first.db.prepare("UPDATE cursor SET rowid = 1000, db_identity = '1:2:other-guid'").run();
  await first.stop();
  const fresh = sim.receive(chat, { from: '+15551230001', text: 'fresh' }).guid;
  const b = new RecordingConnector('a');
  const mem = memoryLog();
  await startCore(t, { sim, dbPath: bridge, connectors: [b], log: mem.log });
  await waitFor(() => b.received.length >= 1, 'the message written while stopped');
  const sentinel = sim.receive(chat, { from: '+15551230001', text: 'sentinel' }).guid;
  await waitFor(() => b.keys().includes(`msg:${sentinel}`), 'the sentinel');
  assert.deepEqual(b.keys(), [`msg:${fresh}`, `msg:${sentinel}`], 'only the unseen message, none of the old ones again');
  assert.ok(mem.lines().some((l) => /not the file the cursor belongs to/.test(JSON.stringify(l))));
  assert.equal(old.length, 5);
});

test('a row without its chat join is held, then delivered with its chat; other chats flow meanwhile', async (t) => {
  const { sim, dir } = makeSim(t);
  const c1 = sim.addChat({ participants: ['+15551230001'] });
  const c2 = sim.addChat({ participants: ['+15551230002'] });
  const a = new RecordingConnector('a');
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a] });
  const orphan = sim.receive(c1, { from: '+15551230001', text: 'late join', joinDelayMs: 1500 });
  const other = sim.receive(c2, { from: '+15551230002', text: 'on time' });
  await waitFor(() => a.keys().includes(`msg:${other.guid}`), 'the other chat');
  assert.ok(!a.keys().includes(`msg:${orphan.guid}`), 'the orphan waits for its join');
  assert.ok(core.watcher.position.cursor < orphan.rowid, 'the orphan holds the cursor');
  await orphan.settled;
  await waitFor(() => a.keys().includes(`msg:${orphan.guid}`), 'the orphan after its join');
  const env = a.received.find((e) => e.key === `msg:${orphan.guid}`)!;
  assert.equal(env.chatGuid, c1.guid);
  assert.equal(a.received.length, 2);
});

test('edits, unsends, delivered, read and errors are each emitted once', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const a = new RecordingConnector('a');
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a] });
  const mine = sim.sendFromMe(chat, { text: 'typed on my phone' });
  const other = sim.sendFromMe(chat, { text: 'this one fails' });
  const gone = sim.sendFromMe(chat, { text: 'oops' });
  await waitFor(() => a.received.length === 3, 'three messages');
  sim.markDelivered(mine.guid);
  sim.markRead(mine.guid);
  sim.edit(mine.guid, 'typed on my phone (edited)');
  sim.unsend(gone.guid);
  sim.setError(other.guid, 22);
  const expected = [`status:${mine.guid}:delivered`, `status:${mine.guid}:read`, `status:${other.guid}:failed`, `unsend:${gone.guid}`];
  await waitFor(() => expected.every((k) => a.keys().includes(k)) && a.keys().some((k) => k.startsWith(`edit:${mine.guid}:`)), 'every change');
  // Several more rescans: nothing is emitted twice.
  const rescans = core.watcher.rescans;
  await waitFor(() => core.watcher.rescans >= rescans + 3, 'three more rescans');
  const keys = a.keys();
  assert.equal(new Set(keys).size, keys.length, 'no duplicate events');
  assert.equal(keys.length, 3 + 5);
  const edit = a.received.find((e) => e.event.type === 'edit')!;
  assert.equal(edit.event.message.text, 'typed on my phone (edited)');
  const failed = a.received.find((e) => e.key === `status:${other.guid}:failed`)!;
  assert.equal(failed.event.type === 'delivery' && failed.event.status, 'failed');
});
