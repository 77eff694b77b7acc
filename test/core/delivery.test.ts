import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeSim, RecordingConnector, settled, startCore, waitFor } from './support/harness.ts';
import { backoffMs } from '../../src/core/delivery/backoff.ts';

test('a failing connector does not hold up another; its backlog drains in order once it recovers', async (t) => {
  const { sim, dir } = makeSim(t);
  const c1 = sim.addChat({ participants: ['+15551230001'] });
  const c2 = sim.addChat({ participants: ['+15551230002'] });
  let down = true;
  const flaky = new RecordingConnector('flaky', { failWhile: () => down });
  const healthy = new RecordingConnector('healthy');
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [flaky, healthy], delivery: { retryBaseMs: 30, retryMaxMs: 200 } });
  const guids = Array.from({ length: 20 }, (_, i) => sim.receive(i % 2 ? c1 : c2, { from: i % 2 ? '+15551230001' : '+15551230002', text: `n${i}` }).guid);
  await waitFor(() => healthy.received.length === 20, 'the healthy connector gets everything');
  assert.equal(flaky.received.length, 0);
  await waitFor(() => flaky.attempts >= 6, 'several retries');
  const stats = core.deliveryStats().find((s) => s.connector === 'flaky')!;
  assert.ok(stats.failures >= 6 && stats.backlog === 20, `failures counted, backlog kept: ${JSON.stringify(stats)}`);
  down = false;
  await waitFor(() => flaky.received.length === 20, 'the backlog drains after recovery');
  for (const chat of [c1.guid, c2.guid]) {
    const order = (r: RecordingConnector) => r.received.filter((e) => e.chatGuid === chat).map((e) => e.key);
    assert.deepEqual(order(flaky), order(healthy), `same order within ${chat}`);
  }
  assert.deepEqual(new Set(flaky.keys()), new Set(guids.map((g) => `msg:${g}`)));
  assert.equal(core.deliveryStats().find((s) => s.connector === 'flaky')!.backlog, 0);
});

test('a slow connector does not slow down another', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  // The slow connector is stuck on its first delivery until the fast one has
  // everything: if one lane waited for the other, the fast one never would.
  let release!: () => void;
  const slow = new RecordingConnector('slow', { gate: new Promise<void>((r) => { release = r; }) });
  const fast = new RecordingConnector('fast');
  await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [slow, fast] });
  for (let i = 0; i < 10; i++) sim.receive(chat, { from: '+15551230001', text: `n${i}` });
  await waitFor(() => fast.received.length === 10, 'fast gets all ten');
  assert.equal(slow.received.length, 0, 'while the slow one is still on its first');
  release();
  await waitFor(() => slow.received.length === 10, 'slow catches up');
  assert.deepEqual(slow.keys(), fast.keys());
});

test('connectors only get the chats they want', async (t) => {
  const { sim, dir } = makeSim(t);
  const c1 = sim.addChat({ participants: ['+15551230001'] });
  const c2 = sim.addChat({ participants: ['+15551230002'] });
  const only1 = new RecordingConnector('only1', { wants: (c) => c === c1.guid });
  const all = new RecordingConnector('all');
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [only1, all] });
  sim.receive(c1, { from: '+15551230001', text: 'one' });
  sim.receive(c2, { from: '+15551230002', text: 'two' });
  await waitFor(() => all.received.length === 2, 'both at the catch-all');
  await settled(core);
  assert.deepEqual(only1.received.map((e) => e.chatGuid), [c1.guid]);
});

test('an inflight delivery of a connector that cannot reconcile is delivered again after a restart', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const bridge = join(dir, 'bridge.db');
  const first = new RecordingConnector('m');
  const run1 = await startCore(t, { sim, dbPath: bridge, connectors: [first] });
  const m = sim.receive(chat, { from: '+15551230001', text: 'hello' });
  await waitFor(() => first.received.length === 1, 'first delivery');
  // As if the process died after marking it inflight.
  run1.db.prepare("UPDATE delivery SET state = 'inflight'").run();
  await run1.stop();
  const second = new RecordingConnector('m');
  await startCore(t, { sim, dbPath: bridge, connectors: [second] });
  await waitFor(() => second.received.length === 1, 'redelivery');
  assert.equal(second.received[0]!.key, `msg:${m.guid}`);
});

test('backoff grows exponentially and is capped', () => {
  const mid = () => 0.5;
  assert.equal(backoffMs(1, 100, 10_000, mid), 100);
  assert.equal(backoffMs(2, 100, 10_000, mid), 200);
  assert.equal(backoffMs(5, 100, 10_000, mid), 1600);
  assert.equal(backoffMs(30, 100, 10_000, mid), 10_000);
});
