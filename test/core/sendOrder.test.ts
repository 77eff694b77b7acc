// test-tier: slow (heavy data or real backoff times: runs in `npm test`, not in the quick unit loop)
// The outbox around timeouts, retries and startup: a send whose osascript
// timed out but which Messages did send is still ours; retries keep the order
// of a chat's sends; a send queued while connectors start is not mistaken for
// one a crash interrupted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Connector, CoreHandle } from '../../src/core/connector.ts';
import type { MessageSender } from '../../src/core/outbox/outbox.ts';
import type { SendReceipt } from '../../src/core/events.ts';
import { chatGuid } from '../../src/ids.ts';
import { SendError, type SendRequest } from '../../src/imessage/send/index.ts';
import { makeSim, RecordingConnector, settled, startCore, waitFor } from './support/harness.ts';
import { simSender } from './support/simSender.ts';
import { pause } from '../support/waitFor.ts';

const from = { connector: 'a', userId: 'u', displayName: 'U' };

test('a send that timed out (unknown) but shows up with the flip is ours: attributed, not echoed, and then sent', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const a = new RecordingConnector('a');
  const b = new RecordingConnector('b');
  // osascript is killed, but Messages did send: the row shows up a moment later, flipping 0 → 1.
  const sender: MessageSender = {
    async send(req: SendRequest) {
      setTimeout(() => sim.sendFromMe(chat, { text: req.text ?? '', flipDelayMs: 1_500 }), 200);
      return { ok: false, error: new SendError({ code: 'timeout', message: 'osascript timed out', advice: 'Check Messages.' }) };
    },
  };
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a, b], sender });
  const fates: SendReceipt[] = [];
  core.onFate((r) => fates.push(r));
  const rc = await a.core!.send({ chatGuid: chatGuid(chat.guid), text: 'did this go?', from, origin: { connector: 'a', remoteId: 'r' } });
  await waitFor(() => b.received.length >= 1, 'relayed to b', 10_000);
  const ev = b.received[0]!.event;
  assert.equal(ev.message.fromMe, true, 'not relayed as the contact writing');
  assert.deepEqual(ev.type === 'message' && ev.sentBy, from);
  await waitFor(() => core.outbox.receipt(rc.id)?.fate.state === 'sent', 'the fate becomes sent');
  assert.ok(fates.some((f) => f.id === rc.id && f.fate.state === 'unknown'), 'it was unknown for a while');
  await settled(core);
  assert.equal(a.received.length, 0, 'never echoed to its origin');
});

test('a retryable failure does not let the next send of the chat overtake it; other chats go on', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const other = sim.addChat({ participants: ['+15551230002'] });
  const inner = simSender(sim, { flipDelayMs: 30 });
  let first = true;
  const sender: MessageSender = {
    async send(req) {
      if (first) { first = false; return { ok: false, error: new SendError({ code: 'not_running', message: 'Messages is not running (-600)', advice: 'Open Messages.', retryable: true }) }; }
      return inner.send(req);
    },
  };
  const a = new RecordingConnector('a');
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a], sender });
  const fates: SendReceipt[] = [];
  core.onFate((r) => fates.push(r));
  await a.core!.send({ chatGuid: chatGuid(chat.guid), text: 'one', from });
  await a.core!.send({ chatGuid: chatGuid(chat.guid), text: 'two', from });
  await a.core!.send({ chatGuid: chatGuid(other.guid), text: 'elsewhere', from });
  await waitFor(() => inner.calls.length === 3, 'all three sends', 20_000);
  assert.deepEqual(inner.calls.map((c) => c.text), ['elsewhere', 'one', 'two']);
});

test('a send queued by a connector while it starts is sent, not marked unknown by crash recovery', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const inner = simSender(sim, { flipDelayMs: 50 });
  // A slow osascript is the condition under test (sends queue up while it runs), not a wait for a result.
  const sender: MessageSender = { async send(req) { await pause(300); return inner.send(req); } };
  let receipt: SendReceipt | null = null;
  const starting: Connector = {
    id: 'a', async stop() {}, wants: () => true, async deliver() {},
    async start(core: CoreHandle) {
      receipt = await core.send({ chatGuid: chatGuid(chat.guid), text: 'queued during startup', from });
      await pause(100); // a connector that is slow to start is the condition under test
    },
  };
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [starting], sender });
  assert.ok(receipt);
  const id = (receipt as SendReceipt).id;
  await waitFor(() => core.outbox.receipt(id)?.fate.state === 'sent', 'the send is confirmed', 10_000);
  const results = core.audit.recent().map((r) => r.result);
  assert.ok(!results.includes('unknown'), `audit: ${results.join(', ')}`);
});

test('an empty chatless row that gets its text and chat a moment later is not judged a ghost', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  // Messages commits the row first, empty and without its chat, then fills it in.
  const sender: MessageSender = {
    async send(req) {
      const row = sim.sendFromMe(chat, { ghost: true });
      setTimeout(() => {
        sim.db.prepare('UPDATE message SET text = ? WHERE ROWID = ?').run(req.text ?? '', row.rowid);
        sim.db.prepare('INSERT INTO chat_message_join (chat_id, message_id, message_date) SELECT ?, ROWID, date FROM message WHERE ROWID = ?').run(chat.rowid, row.rowid);
      }, 600);
      return { ok: true, strippedNul: false };
    },
  };
  const a = new RecordingConnector('a');
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a], sender });
  const rc = await a.core!.send({ chatGuid: chatGuid(chat.guid), text: 'filled in late', from });
  await waitFor(() => !['queued', 'sending'].includes(core.outbox.receipt(rc.id)!.fate.state), 'a verdict', 10_000);
  assert.equal(core.outbox.receipt(rc.id)!.fate.state, 'sent');
});
