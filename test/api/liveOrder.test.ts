import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import type { EventEnvelope } from '../../src/core/events.ts';
import type { MessageReader } from '../../src/api/source.ts';
import { openReader } from '../../src/api/reader.ts';
import { bearer, readerFor, startHarness, waitFor, type Harness } from './support/harness.ts';
import { sse } from './support/sse.ts';
import { pause } from '../support/waitFor.ts';

describe('live events that arrive out of ROWID order (a row held for its chat join)', () => {
  let h: Harness;
  let hooks: Server;
  const posted: { id: number; text: string }[] = [];
  let chat: { rowid: number; guid: string };
  let seq = 0;
  before(async () => {
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { const j = JSON.parse(body); posted.push({ id: j.id, text: j.message.text }); res.writeHead(204).end(); });
    }).listen(0, '127.0.0.1');
    await new Promise((r) => hooks.once('listening', r));
    const url = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
    h = await startHarness({ webhooks: [{ url, secret: 'a-very-secret-webhook-key' }], webhook_backoff_ms: 50 }, (f) => { chat = f.addChat(['+15550000001']); });
  });
  after(async () => { await h.close(); hooks.close(); });

  /** What the core emits for a row, as it reads it now. */
  const envelope = (rowid: number): EventEnvelope => {
    const r = readerFor(h);
    try {
      const m = r.messagesByRowids([rowid])[0]!;
      const c = r.chat(chat.guid)!;
      return { seq: ++seq, key: `msg:${m.guid}`, chatGuid: c.guid, event: { type: 'message', chat: c, message: m, sentBy: null } };
    } finally { r.close(); }
  };
  const webhookCursor = () => Number(h.bridgeDb.prepare("SELECT value FROM api_state WHERE key = 'webhook_through'").pluck().get());

  it('emits 106 then 105: both are delivered (SSE, WebSocket, webhooks), and a client reconnecting in between still gets 105', async () => {
    const held = h.chatdb.addMessage(chat, 'held for its join', { noJoin: true });
    const later = h.chatdb.addMessage(chat, 'later row');
    const before = held.rowid - 1;
    h.gateway.handled = before;
    const liveOnly = sse(`${h.url}/v1/events`, h.tokens.read);
    const resuming = sse(`${h.url}/v1/events`, h.tokens.read, String(before));
    const ws: { id: number; resume_from: number; message: { text: string } }[] = [];
    const socket = new WebSocket(`${h.url.replace('http', 'ws')}/v1/ws`, { headers: bearer(h.tokens.read) });
    socket.on('message', (d) => ws.push(JSON.parse(String(d))));
    await new Promise((r) => socket.once('open', r));
    await waitFor('SSE connected', () => liveOnly.status() === 200 && resuming.status() === 200);
    // The resuming client's replay: 105 has no chat yet, 106 is delivered.
    await waitFor('replayed 106', () => resuming.events.length >= 1);

    // The core emits 106 while it still holds 105 (its cursor stays at 104).
    h.gateway.emit(envelope(later.rowid));
    await waitFor('106 live', () => liveOnly.events.length >= 1 && ws.length >= 1);
    assert.equal(resuming.events.length, 1, '106 is not delivered twice');
    for (const c of [liveOnly, resuming]) assert.equal(c.lastId(), String(before), 'the SSE id does not pass the held row');
    assert.equal(ws[0]!.resume_from, before);
    await waitFor('106 posted', () => posted.length >= 1);
    assert.equal(webhookCursor(), before, 'the webhook cursor does not pass the held row');

    // A client that saw 106 but not 105 reconnects with its Last-Event-ID.
    resuming.close();
    const again = sse(`${h.url}/v1/events`, h.tokens.read, resuming.lastId() ?? undefined);
    await waitFor('reconnected replay', () => again.events.length >= 1);

    // Messages joins 105 to its chat; the core emits it, its cursor now past 106.
    h.chatdb.joinToChat(chat, held.rowid);
    h.gateway.handled = later.rowid;
    h.gateway.emit(envelope(held.rowid));
    await waitFor('105 delivered everywhere', () => liveOnly.events.length >= 2 && again.events.some((e) => e.data.id === held.rowid) && ws.length >= 2 && posted.length >= 2);
    assert.deepEqual(liveOnly.events.map((e) => e.data.id), [later.rowid, held.rowid]);
    assert.deepEqual(ws.map((e) => e.id), [later.rowid, held.rowid]);
    assert.deepEqual(posted.map((p) => p.id), [later.rowid, held.rowid]);
    assert.deepEqual(again.events.map((e) => e.data.id), [later.rowid, held.rowid], 'the reconnected client gets 105 (106 again, deduped by key)');
    for (const c of [liveOnly, again]) assert.equal(c.lastId(), String(later.rowid), 'with 105 out, the resume point moves past both');
    assert.equal(ws[1]!.resume_from, later.rowid);
    assert.equal(webhookCursor(), later.rowid);
    liveOnly.close();
    again.close();
    socket.close();
  });
});

/** A reader that counts (and can fail) messagesAfter calls. */
function spyReader(inner: MessageReader, onAfter: (n: number) => void): MessageReader & { calls: number } {
  const spy = Object.create(inner) as MessageReader & { calls: number };
  spy.calls = 0;
  spy.messagesAfter = (rowid, limit) => { spy.calls++; onAfter(spy.calls); return inner.messagesAfter(rowid, limit); };
  return spy;
}

describe('a client that leaves mid-replay', () => {
  let h: Harness;
  let spy: ReturnType<typeof spyReader>;
  let onAfter: (n: number) => void = () => undefined;
  const ROWS = 10_000; // 20 replay batches of 500
  before(async () => {
    h = await startHarness({}, (f) => {
      const chat = f.addChat(['+15550000001']);
      f.db.transaction(() => { for (let i = 0; i < ROWS; i++) f.addMessage(chat, `old ${i}`); })();
    }, { reader: (f) => (spy = spyReader(openReader(f.path, f.home), (n) => onAfter(n))) });
    await h.api.searchReady;
  });
  after(async () => { await h.close(); });

  it('stops its replay (SSE)', async () => {
    let client: ReturnType<typeof sse> | null = null;
    spy.calls = 0;
    onAfter = (n) => { if (n === 2) client?.close(); };
    client = sse(`${h.url}/v1/events`, h.tokens.read, '0');
    await waitFor('replay started', () => spy.calls >= 2);
    // Settled: no new batch for 500 ms (a full replay takes far less). A
    // measuring window, not a wait for a result: load only makes it longer, and
    // a stopped replay passes however slow the machine is.
    for (let last = -1; spy.calls !== last;) { last = spy.calls; await pause(500); }
    onAfter = () => undefined;
    assert.ok(spy.calls < 10, `the replay went on after the client left: ${spy.calls} batches of ${ROWS / 500 + 1}`);
  });

  it('closes a WebSocket whose replay fails, instead of an unhandled rejection', async () => {
    onAfter = () => { throw new Error('chat.db went away'); };
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/v1/ws?last_event_id=0`, { headers: bearer(h.tokens.read) });
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    onAfter = () => undefined;
    assert.equal(code, 1011);
    assert.ok(h.logLines.some((l) => l.includes('replaying events for a WebSocket client failed')));
  });
});
