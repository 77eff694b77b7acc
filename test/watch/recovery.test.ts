// The watcher after things go wrong: a batch that fails to commit, a reopen
// that fails once, old messages deleted by Messages, a resync after a long
// downtime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openBridgeDb, type BridgeDb } from '../../src/core/db/bridgeDb.ts';
import { ChatDb } from '../../src/imessage/db/index.ts';
import { ChatDbWatcher, MemoryCursorStore, type WatchItem } from '../../src/imessage/watch/index.ts';
import { makeSim, memoryLog, RecordingConnector, startCore, waitFor } from '../core/support/harness.ts';
import { waitWhileGrowing } from '../support/waitFor.ts';

/** Edit the stored cursor while the bridge is down (e.g. to make it belong to another chat.db). */
function withBridgeDb(path: string, fn: (db: BridgeDb) => unknown): void {
  const db = openBridgeDb(path);
  try { fn(db); } finally { db.close(); }
}

const newTexts = (items: WatchItem[]): string[] => items.filter((i) => i.type === 'new').map((i) => i.message.text);

test('a batch whose commit throws is read again: the rows are not lost and the cursor does not pass them', async (t) => {
  const { sim } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const items: WatchItem[] = [];
  const cursors: number[] = [];
  let failures = 1;
  const watcher = new ChatDbWatcher({
    dbPath: sim.dbPath, home: sim.home, consumer: 't', cursors: new MemoryCursorStore(), log: memoryLog().log,
    pollIntervalMs: 100, debounceMs: 10, rescanWindowMs: 600_000, orphanRetryMs: 5_000, fileEvents: false,
    onBatch: (b) => {
      if (b.items.length > 0 && failures-- > 0) throw new Error('SQLITE_BUSY: database is locked');
      items.push(...b.items);
      cursors.push(b.cursor);
    },
  });
  t.after(() => watcher.stop());
  await watcher.start();
  const m1 = sim.receive(chat, { from: '+15551230001', text: 'first' });
  await waitFor(() => failures < 0 || cursors.length > 0, 'the failing batch');
  const m2 = sim.receive(chat, { from: '+15551230001', text: 'second' });
  await waitFor(() => newTexts(items).includes('second'), 'the second message');
  assert.deepEqual(newTexts(items), ['first', 'second']);
  assert.ok(cursors.every((c, i) => i === 0 || c >= cursors[i - 1]!));
  assert.equal(cursors.at(-1), m2.rowid);
  assert.ok(m1.rowid < m2.rowid);
});

test('one failed reopen of chat.db does not leave the watcher deaf', async (t) => {
  const { sim } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const items: WatchItem[] = [];
  const watcher = new ChatDbWatcher({
    dbPath: sim.dbPath, home: sim.home, consumer: 't', cursors: new MemoryCursorStore(), log: memoryLog().log,
    pollIntervalMs: 100, debounceMs: 10, rescanWindowMs: 600_000, orphanRetryMs: 5_000, fileEvents: false,
    onBatch: (b) => items.push(...b.items),
  });
  t.after(() => watcher.stop());
  await watcher.start();
  const open = ChatDb.open.bind(ChatDb);
  let fail = 1;
  const patched = ChatDb as unknown as { open: typeof ChatDb.open };
  patched.open = (...args) => { if (fail-- > 0) throw new Error('unable to open database file'); return open(...args); };
  t.after(() => { patched.open = open; });
  sim.checkpoint({ replaceWal: true });
  await waitFor(() => fail < 0, 'the failed reopen');
  sim.receive(chat, { from: '+15551230001', text: 'after the hiccup' });
  await waitFor(() => newTexts(items).includes('after the hiccup'), 'the message after the failed reopen', 10_000);
});

test('Messages deleting its oldest messages is not a new database: no resync', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const a = new RecordingConnector('a');
  const bridge = join(dir, 'bridge.db');
  const first = await startCore(t, { sim, dbPath: bridge, connectors: [a] });
  for (let i = 0; i < 3; i++) sim.receive(chat, { from: '+15551230001', text: `old${i}` });
  await waitFor(() => a.received.length === 3, 'three messages');
  // "Keep messages: 30 days": the join goes, and a trigger deletes the message.
  sim.db.prepare('DELETE FROM chat_message_join WHERE message_id = (SELECT min(ROWID) FROM message)').run();
  const later = sim.receive(chat, { from: '+15551230001', text: 'later' });
  await waitFor(() => a.received.length === 4, 'the next message');
  assert.equal(first.core.watcher.resyncs, 0);
  await first.stop();
  sim.db.prepare('DELETE FROM chat_message_join WHERE message_id = (SELECT min(ROWID) FROM message)').run();
  const b = new RecordingConnector('a');
  const second = await startCore(t, { sim, dbPath: bridge, connectors: [b] });
  const next = sim.receive(chat, { from: '+15551230001', text: 'after restart' });
  await waitFor(() => b.received.length === 1, 'the message after the restart');
  assert.equal(second.core.watcher.resyncs, 0);
  assert.deepEqual(b.keys(), [`msg:${next.guid}`]);
  assert.ok(later.rowid < next.rowid);
});

test('a resync re-reads every row after the cutoff (not a fixed number), relaying only unseen ones', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const a = new RecordingConnector('a');
  const bridge = join(dir, 'bridge.db');
  const first = await startCore(t, { sim, dbPath: bridge, connectors: [a] });
  const seen = Array.from({ length: 5 }, (_, i) => sim.receive(chat, { from: '+15551230001', text: `seen ${i}` }).guid);
  await waitFor(() => a.received.length === 5, 'five messages');
  await first.stop();
  // While stopped: a long backlog, and the cursor no longer matches the file.
  const backlog = Array.from({ length: 6_000 }, (_, i) => sim.receive(chat, { from: '+15551230001', text: `n${i}` }).guid);
  withBridgeDb(bridge, (db) => db.prepare(`UPDATE cursor SET db_identity = '1:2|{"anchors":[]}'`).run());
  const b = new RecordingConnector('a');
  const second = await startCore(t, { sim, dbPath: bridge, connectors: [b] });
  await waitWhileGrowing('the whole backlog', () => b.received.length, 6_000);
  // A sentinel after the backlog: per-chat order means any double would arrive before it.
  const sentinel = sim.receive(chat, { from: '+15551230001', text: 'sentinel' }).guid;
  await waitFor(() => b.keys().includes(`msg:${sentinel}`), 'the sentinel');
  assert.equal(second.core.watcher.resyncs, 1);
  assert.deepEqual(b.keys(), [...backlog, sentinel].map((g) => `msg:${g}`), 'every unseen message once, in order; none of the seen ones');
  assert.equal(seen.length, 5);
});

test('a resync never reaches back past what the event keys remember', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const bridge = join(dir, 'bridge.db');
  const a = new RecordingConnector('a');
  const first = await startCore(t, { sim, dbPath: bridge, connectors: [a] });
  await first.stop();
  const day = 24 * 3600_000;
  // Relayed five days ago; its key has since been pruned (retention: 3 days).
  sim.receive(chat, { from: '+15551230001', text: 'five days old', date: new Date(Date.now() - 5 * day) });
  const fresh = sim.receive(chat, { from: '+15551230001', text: 'fresh' });
  withBridgeDb(bridge, (db) => db.prepare(`UPDATE cursor SET db_identity = '1:2|{"anchors":[]}', updated_at = ?`).run(Date.now() - 10 * day));
  const b = new RecordingConnector('a');
  await startCore(t, { sim, dbPath: bridge, connectors: [b] });
  await waitFor(() => b.received.length >= 1, 'the fresh message');
  const sentinel = sim.receive(chat, { from: '+15551230001', text: 'sentinel' });
  await waitFor(() => b.keys().includes(`msg:${sentinel.guid}`), 'the sentinel');
  assert.deepEqual(b.keys(), [`msg:${fresh.guid}`, `msg:${sentinel.guid}`]);
});
