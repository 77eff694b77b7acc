// The core's side of backfill, with a recording connector: a new portal gets
// its history first, then the live row; another chat is not held up; history
// is planned once; `messages: 0` turns it off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeSim, startCore, waitFor, RecordingConnector, type RecordingOptions } from '../core/support/harness.ts';
import type { EventEnvelope } from '../../src/core/events.ts';
import type { BackfillLimits } from '../../src/core/backfill/plan.ts';
import { EDITED, HISTORY, TAPPED, UNSENT, seedHistory } from './support.ts';

class HistoryConnector extends RecordingConnector {
  /** History after its first message waits here: a slow portal, for exactly as long as the test needs. */
  constructor(id: string, readonly backfill: BackfillLimits, private readonly historyGate?: Promise<void>, o: RecordingOptions = {}) { super(id, o); }
  override async deliver(env: EventEnvelope): Promise<void> {
    if (env.event.type === 'history' && env.event.history.index > 0 && this.historyGate) await this.historyGate;
    await super.deliver(env);
  }
}

const JANE = '+15550001111';
const BOB = '+15550002222';

test('a new portal gets its history (folded, in order) before the live row; another chat is not held up', { timeout: 30_000 }, async (t) => {
  const { sim, dir } = makeSim(t);
  const jane = sim.addChat({ participants: [JANE] });
  const bob = sim.addChat({ participants: [BOB] });
  const seeded = seedHistory(sim, jane, JANE);
  // Jane's history stalls after its first message until Bob's live row is in:
  // if Bob's chat waited behind Jane's history, it never would be (a timeout).
  let release!: () => void;
  const conn = new HistoryConnector('hist', { messages: 50, maxAgeDays: 30 }, new Promise<void>((r) => { release = r; }));
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [conn] });

  sim.receive(jane, { from: JANE, text: 'live from jane' });
  await waitFor(() => conn.received.some((e) => e.event.type === 'history'), 'history starts');
  sim.receive(bob, { from: BOB, text: 'live from bob' });
  await waitFor(() => conn.received.some((e) => e.event.type === 'message' && e.chatGuid === bob.guid), "bob's live row while jane's history is stalled");
  release();
  await waitFor(() => conn.received.some((e) => e.event.type === 'message' && e.event.message.text === 'live from jane'), 'jane live row', 20_000);

  const janes = conn.received.filter((e) => e.chatGuid === jane.guid);
  assert.equal(janes.length, HISTORY + 1);
  assert.ok(janes.slice(0, HISTORY).every((e) => e.event.type === 'history'), 'history first');
  assert.equal(janes[HISTORY]!.event.message.text, 'live from jane', 'then the live row');
  const hist = janes.slice(0, HISTORY).map((e) => e.event);
  assert.deepEqual(hist.map((e) => e.message.text), seeded.texts);
  assert.deepEqual(hist.map((e) => e.message.date), seeded.dates);
  assert.deepEqual(hist.map((e) => (e.type === 'history' ? e.history.index : -1)), [...Array(HISTORY).keys()]);
  const h = (i: number) => { const e = hist[i]!; assert.equal(e.type, 'history'); return e.type === 'history' ? e.history : null; };
  assert.deepEqual(h(TAPPED)!.reactions.map((r) => r.emoji), ['❤️']);
  assert.equal(h(EDITED)!.edited, true);
  assert.equal(h(UNSENT)!.unsent, true);
  assert.ok(!conn.received.some((e) => e.event.type === 'reaction' || e.event.type === 'edit' || e.event.type === 'unsend'), 'no tapback, edit or unsend line of its own');

  // Bob's live row arrived while Jane's history was still being delivered.
  const order = conn.keys();
  const bobLive = conn.received.findIndex((e) => e.event.type === 'message' && e.chatGuid === bob.guid);
  const lastJaneHistory = conn.received.findLastIndex((e) => e.event.type === 'history' && e.chatGuid === jane.guid);
  assert.ok(bobLive >= 0 && bobLive < lastJaneHistory, `bob's live row (${bobLive}) before jane's history ended (${lastJaneHistory}): ${order.join(' ')}`);

  // History is planned once per portal: more live rows don't bring it again.
  sim.receive(jane, { from: JANE, text: 'again' });
  await waitFor(() => conn.received.some((e) => e.event.message.text === 'again'), 'second live row');
  assert.equal(conn.received.filter((e) => e.event.type === 'history' && e.chatGuid === jane.guid).length, HISTORY);
  assert.deepEqual(core.backfill.progress(), [], 'no run left open');
});

test('messages: 0 turns backfill off; a chat the connector already has a portal for gets none', { timeout: 30_000 }, async (t) => {
  const { sim, dir } = makeSim(t);
  const jane = sim.addChat({ participants: [JANE] });
  const bob = sim.addChat({ participants: [BOB] });
  seedHistory(sim, jane, JANE);
  sim.receive(bob, { from: BOB, text: 'bob earlier' });
  const off = new HistoryConnector('off', { messages: 0, maxAgeDays: 30 });
  const on = new HistoryConnector('on', { messages: 5, maxAgeDays: 30 });
  const { db } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [off, on] });
  db.prepare("INSERT INTO portal (connector, chat_guid, remote_id, created_at) VALUES ('on', ?, 'room-b', 0)").run(bob.guid);
  sim.receive(jane, { from: JANE, text: 'live' });
  sim.receive(bob, { from: BOB, text: 'bob live' });
  await waitFor(() => off.received.length >= 2 && on.received.filter((e) => e.event.type === 'message').length >= 2, 'live rows');
  assert.deepEqual(off.received.map((e) => e.event.type), ['message', 'message']);
  assert.deepEqual(on.received.filter((e) => e.chatGuid === jane.guid).map((e) => e.event.type), ['history', 'history', 'history', 'history', 'history', 'message']);
  assert.deepEqual(on.received.filter((e) => e.chatGuid === bob.guid).map((e) => e.event.type), ['message']);
});
