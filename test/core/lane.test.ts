// A delivery lane with a hung or broken piece: one chat's hung delivery
// holds up only that chat, times out and is retried (reconciled first),
// shutdown does not wait forever, and bridge-db errors are contained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ReconcilingConnector } from '../../src/core/connector.ts';
import { openBridgeDb } from '../../src/core/db/bridgeDb.ts';
import { ConnectorLane } from '../../src/core/delivery/lane.ts';
import type { EventEnvelope } from '../../src/core/events.ts';
import { DeliveryJournal } from '../../src/core/store/deliveries.ts';
import { EventLog } from '../../src/core/store/eventLog.ts';
import { chatGuid } from '../../src/ids.ts';
import type { BridgeEvent } from '../../src/core/events.ts';
import { memoryLog, tempDir, waitFor, type TestContext } from './support/harness.ts';

function setup(t: TestContext) {
  const db = openBridgeDb(join(tempDir(t, 'lane-'), 'bridge.db'));
  t.after(() => db.close());
  const journal = new DeliveryJournal(db);
  const events = new EventLog(db);
  const add = (connector: string, chat: string, text: string): EventEnvelope => {
    const env = events.append(`msg:${text}`, chatGuid(chat), { type: 'message', text } as unknown as BridgeEvent)!;
    journal.enqueue(connector, env.seq, env.chatGuid);
    return env;
  };
  return { db, journal, events, add };
}

test('a hung delivery holds up only its chat, times out, stays inflight and is reconciled; stop is bounded', async (t) => {
  const { journal, events, add } = setup(t);
  const got: string[] = [];
  const reconciled: string[] = [];
  const began: string[] = [];
  let hangs = 1;
  const conn: ReconcilingConnector = {
    id: 'x', async start() {}, async stop() {}, wants: () => true,
    async deliver(env) {
      began.push(env.key);
      if ((env.chatGuid === 'c1' || env.chatGuid === 'c3') && hangs-- > 0) await new Promise(() => undefined);
      got.push(env.key);
    },
    async reconcile(env) { reconciled.push(env.key); return 'missing'; },
  };
  const lane = new ConnectorLane(conn, journal, events, memoryLog().log, { retryBaseMs: 20, retryMaxMs: 50, concurrency: 4, deliveryTimeoutMs: 400, stopTimeoutMs: 300 });
  add('x', 'c1', 'stuck');
  add('x', 'c1', 'after-stuck');
  lane.start();
  add('x', 'c2', 'other');
  lane.wake();
  await waitFor(() => got.includes('msg:other'), 'the other chat, while c1 hangs', 2_000);
  assert.ok(!got.includes('msg:stuck') && !got.includes('msg:after-stuck'));
  await waitFor(() => got.includes('msg:after-stuck'), 'c1 after the timeout and retry', 5_000);
  assert.deepEqual(got.filter((k) => k !== 'msg:other'), ['msg:stuck', 'msg:after-stuck'], 'c1 in order');
  assert.deepEqual(reconciled, ['msg:stuck'], 'the timed-out delivery stayed inflight and was reconciled first');
  // Shutdown with a delivery that never ends.
  hangs = 1;
  add('x', 'c3', 'hangs-at-stop');
  lane.wake();
  await waitFor(() => began.includes('msg:hangs-at-stop'), 'the delivery that hangs at stop to begin');
  const t0 = Date.now();
  await lane.stop();
  assert.ok(Date.now() - t0 < 2_000, 'stop waited a bounded time');
});

test('bridge-db errors while delivering are contained (no unhandled rejection) and retried', async (t) => {
  const { journal, events, add } = setup(t);
  const rejections: unknown[] = [];
  const onRejection = (r: unknown): void => { rejections.push(r); };
  process.on('unhandledRejection', onRejection);
  t.after(() => process.off('unhandledRejection', onRejection));
  const got: string[] = [];
  const conn = { id: 'x', async start() {}, async stop() {}, wants: () => true, async deliver(env: EventEnvelope) { got.push(env.key); } };
  const get = events.get.bind(events);
  let failGet = 1;
  events.get = (seq) => { if (failGet-- > 0) throw new Error('SQLITE_BUSY: database is locked'); return get(seq); };
  const markDone = journal.markDone.bind(journal);
  let failDone = 1;
  journal.markDone = (c, seq) => { if (failDone-- > 0) throw new Error('SQLITE_FULL: database or disk is full'); markDone(c, seq); };
  const lane = new ConnectorLane(conn, journal, events, memoryLog().log, { retryBaseMs: 20, retryMaxMs: 50, concurrency: 4 });
  add('x', 'c1', 'one');
  lane.start();
  t.after(() => lane.stop());
  await waitFor(() => journal.backlog('x') === 0, 'the delivery is done in the end', 5_000);
  // Not a sleep for time: one macrotask turn, after which Node has reported any unhandled rejection of the turns before.
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(rejections, []);
  assert.ok(got.includes('msg:one'));
});
