import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { parsePosition } from '../../src/api/live/position.ts';
import { bearer, http, liveClients, readerFor, startHarness, waitFor, type Harness } from './support/harness.ts';
import { sse } from './support/sse.ts';
import { updates } from './support/updates.ts';

const maxRowid = (h: Harness): number => h.chatdb.db.prepare('SELECT max(ROWID) FROM message').pluck().get() as number;

describe('live resume covers updates (edit, unsend, delivery) missed while away, across a restart', () => {
  let h: Harness;
  let chat: { rowid: number; guid: string };
  before(async () => {
    h = await startHarness({}, (f) => { chat = f.addChat(['+15550000001']); }, { eventLog: true });
    h.gateway.feed(readerFor(h), 0);
  });
  after(async () => { await h.close(); });

  it('SSE: a client that saw X gets X\'s status change, edit and unsend and the new row, each once, and nothing again after', async () => {
    const subscribers = await liveClients(h);
    const first = sse(`${h.url}/v1/events`, h.tokens.read);
    await waitFor('SSE connected', () => first.status() === 200);
    await waitFor('the SSE client subscribed to the hub', async () => (await liveClients(h)) > subscribers);
    const x = h.chatdb.addMessage(chat, 'X original', { fromMe: true });
    await waitFor('X live', () => first.events.length >= 1);
    assert.equal(first.events[0]!.data.message.text, 'X original');
    assert.match(first.lastId()!, /^\d+:\d+$/, 'with the event log, ids are <rowid>:<seq>');
    assert.equal(parsePosition(first.lastId()!).rowid, x.rowid);
    const seen = first.lastId()!;
    first.close();

    // While the client is away: X is delivered and edited (bridge up)…
    const u = updates(h, x.rowid);
    assert.ok(u.status('delivered'));
    assert.ok(u.edit('X edited'));
    h.gateway.stopFeed();
    const feedFrom = h.gateway.handled;
    await h.api.stop();
    // …the bridge goes down, X is unsent (the core logs it as it catches up), and a new row arrives.
    assert.ok(u.unsend());
    h.chatdb.addMessage(chat, 'Y new while down');
    await h.restart();
    h.gateway.feed(readerFor(h), feedFrom);

    const second = sse(`${h.url}/v1/events`, h.tokens.read, seen);
    await waitFor('replayed row and updates', () => second.events.length >= 4);
    // A live update after the replay (and the sentinel for it: anything the replay still had would come before it).
    assert.ok(u.status('read'));
    await waitFor('live read status', () => second.events.length >= 5);
    assert.deepEqual(second.events.map((e) => [e.event, e.data.message.text]),
      [['message', 'Y new while down'], ['delivery', 'X original'], ['edit', 'X edited'], ['unsend', ''], ['delivery', 'X original']],
      'the new row first (from chat.db), then the updates in the order they happened, each once, then the live one');
    assert.equal(new Set(second.events.map((e) => e.data.key)).size, 5);
    for (const e of second.events) assert.match(e.id ?? '', /^\d+:\d+$/, 'every frame, updates included, carries a resume position');

    // Then a reconnect with the newest id: nothing comes twice.
    const seen2 = second.lastId()!;
    second.close();
    const third = sse(`${h.url}/v1/events`, h.tokens.read, seen2);
    await waitFor('SSE connected', () => third.status() === 200);
    // The new row is the sentinel: a replay of what the client has would come before it.
    h.chatdb.addMessage(chat, 'Z after');
    await waitFor('live row', () => third.events.some((e) => e.data.message.text === 'Z after'));
    assert.deepEqual(third.events.map((e) => e.data.message.text), ['Z after'], 'nothing the client already has is replayed');
    third.close();
  });

  it('WebSocket: ?last_event_id=<rowid>:<seq> replays missed updates; each frame names the id to resume with', async () => {
    const x = h.chatdb.addMessage(chat, 'W original', { fromMe: true });
    const got: { type: string; key: string; message: { text: string }; resume_from: number; last_event_id: string }[] = [];
    const open = (id?: string) => {
      const ws = new WebSocket(`${h.url.replace('http', 'ws')}/v1/ws${id ? `?last_event_id=${id}` : ''}`, { headers: bearer(h.tokens.read) });
      ws.on('message', (d) => got.push(JSON.parse(String(d))));
      return ws;
    };
    let ws = open(`${x.rowid - 1}:${h.gateway.log!.lastSeq()}`);
    await waitFor('W', () => got.some((e) => e.message.text === 'W original'));
    const last = got.at(-1)!;
    assert.equal(last.resume_from, parsePosition(last.last_event_id).rowid);
    ws.close();
    await new Promise((r) => ws.once('close', r));
    got.length = 0;
    assert.ok(updates(h, x.rowid).edit('W edited'));
    ws = open(last.last_event_id);
    await waitFor('missed edit', () => got.length >= 1);
    // Sentinel instead of a sleep: a row written now arrives after anything the replay still had.
    h.chatdb.addMessage(chat, 'W sentinel');
    await waitFor('the sentinel', () => got.some((e) => e.message.text === 'W sentinel'));
    ws.close();
    assert.deepEqual(got.map((e) => [e.type, e.message.text]), [['edit', 'W edited'], ['message', 'W sentinel']]);
    assert.match(got[0]!.last_event_id, /^\d+:\d+$/);
  });

  it('a plain ROWID still resumes new rows exactly as before (updates from then on only)', async () => {
    const base = maxRowid(h);
    const earlier = h.chatdb.addMessage(chat, 'P1', { fromMe: true });
    await waitFor('P1 logged', () => h.gateway.handled >= earlier.rowid);
    assert.ok(updates(h, earlier.rowid).edit('P1 edited'), 'an update before the client connects');
    h.chatdb.addMessage(chat, 'P2');
    await waitFor('P2 logged', () => h.gateway.handled >= earlier.rowid + 1);
    const c = sse(`${h.url}/v1/events`, h.tokens.read, String(base));
    await waitFor('replay', () => c.events.length >= 2);
    // The live update is the sentinel: a replayed edit would come before it.
    assert.ok(updates(h, earlier.rowid).status('delivered'));
    await waitFor('live update', () => c.events.length >= 3);
    assert.deepEqual(c.events.map((e) => [e.event, e.data.message.text]), [['message', 'P1'], ['message', 'P2'], ['delivery', 'P1']], 'rows from chat.db; the edit logged before is not replayed');
    assert.deepEqual(c.events.slice(0, 2).map((e) => parsePosition(e.id!).rowid), [earlier.rowid, earlier.rowid + 1]);
    c.close();
  });

  it('rejects a malformed position with a clear error', async () => {
    for (const bad of ['5:', ':5', '5:x', '5:6:7', '-1']) {
      const r = await http(`${h.url}/v1/events?last_event_id=${encodeURIComponent(bad)}`, { headers: bearer(h.tokens.read) });
      assert.equal(r.status, 400, bad);
      assert.match(r.json().error.message, /<rowid>:<seq>/);
    }
  });
});
