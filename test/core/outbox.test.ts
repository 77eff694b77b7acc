import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openBridgeDb } from '../../src/core/db/bridgeDb.ts';
import { SendRefusedError } from '../../src/core/errors.ts';
import type { SendIntent, SendReceipt } from '../../src/core/events.ts';
import { OutboxStore } from '../../src/core/store/outboxStore.ts';
import { chatGuid, type ChatGuid } from '../../src/ids.ts';
import { makeSim, RecordingConnector, RecordingFateConnector, settled, startCore, waitFor } from './support/harness.ts';
import { simSender } from './support/simSender.ts';

const from = (connector: string) => ({ connector, userId: 'u1', displayName: 'Ann' });
// Each call is a new remote message unless told otherwise: the outbox keeps one entry per origin.
let remote = 0;
const intent = (chat: ChatGuid | string, text: string, connector = 'a', remoteId = `m${++remote}`): SendIntent => ({ chatGuid: chatGuid(chat), text, from: from(connector), origin: { connector, remoteId } });
const final = (fates: SendReceipt[], id: string) => fates.find((r) => r.id === id && !['queued', 'sending'].includes(r.fate.state));

test('a confirmed send is relayed to the other connectors attributed to its sender, never echoed to its origin; the flip row is never inbound', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const origin = new RecordingFateConnector('a');
  const other = new RecordingConnector('b');
  const sender = simSender(sim, { flipDelayMs: 700 });
  const { core, db } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [origin, other], sender });
  const fates: SendReceipt[] = [];
  core.onFate((r) => fates.push(r));
  const receipt = await origin.core!.send(intent(chat.guid, '  Café\u0000 ')); // NFC/NUL/trim-normalized match
  assert.equal(receipt.fate.state, 'queued');
  await waitFor(() => final(fates, receipt.id) !== undefined, 'the send is confirmed');
  const done = final(fates, receipt.id)!;
  assert.equal(done.fate.state, 'sent');
  const guid = done.fate.state === 'sent' ? done.fate.messageGuid : '';
  await waitFor(() => other.received.length === 1, 'relayed to the other connector');
  const ev = other.received[0]!.event;
  assert.equal(ev.type, 'message');
  assert.equal(ev.message.guid, guid);
  assert.equal(ev.message.fromMe, true, 'relayed only after the flip, as ours');
  assert.deepEqual(ev.type === 'message' && ev.sentBy, from('a'));
  await settled(core);
  assert.equal(origin.received.length, 0, 'not echoed to the connector it came from');
  await waitFor(() => origin.fates.some((f) => f.fate.state === 'sent'), 'fate reported to the origin');
  // Audit: queued, then sent, with who and from where.
  const all = core.audit.recent().reverse();
  // The stripped NUL is said out loud, in the audit log as well as the log.
  assert.ok(all.some((a) => a.action === 'note' && a.result === 'warning' && /NUL/.test(JSON.stringify(a.detail))), JSON.stringify(all));
  const audit = all.filter((a) => a.action !== 'note');
  assert.deepEqual(audit.map((a) => a.result), ['queued', 'sent']);
  assert.equal(audit[1]!.userId, 'u1');
  assert.equal(audit[1]!.connector, 'a');
  assert.equal(audit[1]!.detail?.message_guid, guid);
  assert.equal(db.prepare("SELECT count(*) FROM event_log WHERE key = ?").pluck().get(`msg:${guid}`), 1);
});

test('what I typed on my own phone is relayed to every connector as "me"', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const a = new RecordingConnector('a');
  await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a], sender: simSender(sim) });
  const m = sim.sendFromMe(chat, { text: 'from my phone' });
  await waitFor(() => a.received.length === 1, 'relayed');
  const ev = a.received[0]!.event;
  assert.equal(ev.message.guid, m.guid);
  assert.equal(ev.type === 'message' && ev.sentBy, null);
});

test('two identical texts are confirmed first in, first out', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const a = new RecordingFateConnector('a');
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a], sender: simSender(sim, { flipDelayMs: 50 }) });
  const fates: SendReceipt[] = [];
  core.onFate((r) => fates.push(r));
  const r1 = await a.core!.send(intent(chat.guid, 'same'));
  const r2 = await a.core!.send(intent(chat.guid, 'same', 'a', 'r2'));
  await waitFor(() => final(fates, r1.id) !== undefined && final(fates, r2.id) !== undefined, 'both confirmed');
  const rows = sim.db.prepare("SELECT guid FROM message WHERE is_from_me = 1 ORDER BY ROWID").pluck().all() as string[];
  assert.equal(rows.length, 2);
  assert.deepEqual([final(fates, r1.id)!.fate, final(fates, r2.id)!.fate], [{ state: 'sent', messageGuid: rows[0] }, { state: 'sent', messageGuid: rows[1] }]);
});

test('outcomes: error row → failed with the code, ghost row → failed, no row → unknown, osascript error → failed with advice', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const a = new RecordingFateConnector('a');
  const sender = simSender(sim, { errorCode: 22 });
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a], sender, confirmTimeoutMs: 1200 });
  const fates: SendReceipt[] = [];
  core.onFate((r) => fates.push(r));
  const outcome = async (mode: typeof sender.mode, text: string): Promise<SendReceipt> => {
    sender.mode = mode;
    const r = await a.core!.send(intent(chat.guid, text));
    await waitFor(() => final(fates, r.id) !== undefined, `the ${mode} outcome`);
    return final(fates, r.id)!;
  };
  const err = await outcome('error', 'will fail');
  assert.deepEqual(err.fate.state === 'failed' && err.fate.code, 'error_22');
  const ghost = await outcome('ghost', 'ghosted');
  assert.deepEqual(ghost.fate.state === 'failed' && ghost.fate.code, 'ghost_row');
  const silent = await outcome('silent', 'never shows');
  assert.equal(silent.fate.state, 'unknown');
  assert.match(silent.fate.state === 'unknown' ? silent.fate.reason : '', /unconfirmed/);
  const denied = await outcome('not_authorized', 'no permission');
  assert.equal(denied.fate.state === 'failed' && denied.fate.code, 'not_authorized');
  assert.match(denied.fate.state === 'failed' ? denied.fate.reason : '', /Automation permission/);
  await waitFor(() => a.fates.filter((f) => !['queued', 'sending'].includes(f.fate.state)).length === 4, 'every fate reported to the origin');
  const results = core.audit.recent(100).filter((x) => x.result !== 'queued').map((x) => x.result).reverse();
  assert.deepEqual(results, ['failed', 'failed', 'unknown', 'failed']);
});

test('sending into a chat not mirrored to the connector is refused, audited, and nothing is queued', async (t) => {
  const { sim, dir } = makeSim(t);
  const c1 = sim.addChat({ participants: ['+15551230001'] });
  const c2 = sim.addChat({ participants: ['+15551230002'] });
  const a = new RecordingConnector('a', { wants: (c) => c === c1.guid });
  const sender = simSender(sim);
  const { core, db } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a], sender });
  await assert.rejects(a.core!.send(intent(c2.guid, 'sneaky')), (e: unknown) => e instanceof SendRefusedError && e.code === 'not_mirrored' && /Mirror the chat/.test(e.advice));
  await assert.rejects(a.core!.send({ chatGuid: chatGuid(c1.guid), from: from('a') }), (e: unknown) => e instanceof SendRefusedError && e.code === 'empty');
  assert.equal(db.prepare('SELECT count(*) FROM outbox').pluck().get(), 0);
  assert.equal(core.audit.recent()[0]?.action, 'denied');
  // The API sends under its own scope (send_restriction: none).
  const r = await core.send(intent(c2.guid, 'allowed by the API policy', 'api'), { kind: 'api', restriction: 'none', allowlist: [] });
  assert.equal(r.fate.state, 'queued');
  await waitFor(() => sender.calls.length === 1, 'sent');
});

test('the outbox survives a restart: queued sends go out, a send in flight during the crash becomes unknown and is not retried', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const bridge = join(dir, 'bridge.db');
  // The state a crash leaves: one send was in flight, one still queued.
  const db = openBridgeDb(bridge);
  const store = new OutboxStore(db);
  const inflight = store.insert(intent(chat.guid, 'was being sent'));
  store.update(inflight.id, { state: 'sending', attempts: 1 });
  const queued = store.insert(intent(chat.guid, 'still queued', 'a', 'r2'));
  db.close();
  const a = new RecordingFateConnector('a');
  const sender = simSender(sim, { flipDelayMs: 20 });
  const { core } = await startCore(t, { sim, dbPath: bridge, connectors: [a], sender });
  await waitFor(() => core.outbox.receipt(queued.id)?.fate.state === 'sent', 'the queued send goes out');
  assert.deepEqual(sender.calls.map((c) => c.text), ['still queued'], 'the in-flight one is not sent again');
  const lost = core.outbox.receipt(inflight.id)!;
  assert.equal(lost.fate.state, 'unknown');
  assert.match(lost.fate.state === 'unknown' ? lost.fate.reason : '', /not retried/);
  assert.ok(a.fates.some((f) => f.id === inflight.id && f.fate.state === 'unknown'), 'the origin is told');
});
