import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeSim, RecordingConnector, startCore, waitFor } from './support/harness.ts';

test('new messages, tapbacks and group events reach every connector once, in order, with keys from the guid', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const a = new RecordingConnector('a');
  const b = new RecordingConnector('b');
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a, b] });
  const seen: string[] = [];
  core.onEvent((env, raw) => seen.push(`${env.key}|${raw.rowid}`));
  const m1 = sim.receive(chat, { from: '+15551230001', text: 'hello' });
  const m2 = sim.receive(chat, { from: '+15551230001', text: 'again' });
  const r = sim.tapback(chat, { from: '+15551230001', target: m1.guid, type: 'love' });
  await waitFor(() => a.received.length === 3 && b.received.length === 3, 'three events at both connectors');
  assert.deepEqual(a.keys(), [`msg:${m1.guid}`, `msg:${m2.guid}`, `react:${r.guid}`]);
  assert.deepEqual(b.keys(), a.keys());
  assert.equal(a.received[0]!.event.type, 'message');
  assert.equal(a.received[2]!.event.type, 'reaction');
  assert.ok(a.received[0]!.seq < a.received[1]!.seq);
  assert.equal(seen.length, 3);
});
