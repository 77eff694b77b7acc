// Order and late changes around our own sends: a row waiting for its
// is_from_me flip keeps its chat's later rows behind it, and a delivery error
// set seconds after the send (the error column has no date) is still seen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chatGuid } from '../../src/ids.ts';
import { makeSim, RecordingConnector, startCore, waitFor } from '../core/support/harness.ts';
import { simSender } from '../core/support/simSender.ts';

test('a later row of the chat waits behind our row held for its flip (ROWID order kept)', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const other = sim.addChat({ participants: ['+15551230002'] });
  const a = new RecordingConnector('a');
  const b = new RecordingConnector('b');
  const sender = simSender(sim, { flipDelayMs: 1_200 });
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a, b], sender });
  await a.core!.send({ chatGuid: chatGuid(chat.guid), text: 'question?', from: { connector: 'a', userId: 'u', displayName: 'U' }, origin: { connector: 'a', remoteId: 'r' } });
  await waitFor(() => sender.calls.length === 1, 'the send');
  await waitFor(() => core.watcher.position.held > 0, 'our row held until it flips');
  const reply = sim.receive(chat, { from: '+15551230001', text: 'answer!' });
  const elsewhere = sim.receive(other, { from: '+15551230002', text: 'other chat' });
  // Other chats are not held up by the flip.
  await waitFor(() => b.keys().includes(`msg:${elsewhere.guid}`), 'the other chat');
  assert.ok(!b.keys().includes(`msg:${reply.guid}`), 'the reply waits for our row');
  await waitFor(() => b.received.filter((e) => e.chatGuid === chat.guid).length === 2, 'both rows of the chat at b', 10_000);
  const inChat = b.received.filter((e) => e.chatGuid === chat.guid).map((e) => e.event.message.text);
  assert.deepEqual(inChat, ['question?', 'answer!']);
  const mine = b.received.find((e) => e.event.message.text === 'question?')!;
  assert.equal(mine.event.message.fromMe, true);
});

test('a delivery error set seconds after the send is emitted (error has no date column)', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const a = new RecordingConnector('a');
  await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a] });
  // Dated past the quick rescan's look-back (5 s of overlap) instead of sleeping until it is.
  const m = sim.sendFromMe(chat, { text: 'will fail later', date: new Date(Date.now() - 6_500) });
  await waitFor(() => a.received.length === 1, 'the message');
  sim.setError(m.guid, 22);
  await waitFor(() => a.keys().includes(`status:${m.guid}:failed`), 'the failure', 5_000);
  assert.deepEqual(a.keys(), [`msg:${m.guid}`, `status:${m.guid}:failed`]);
});
