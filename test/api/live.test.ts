import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { bearer, liveClients, readerFor, startHarness, waitFor, type Harness } from './support/harness.ts';
import { sse } from './support/sse.ts';

describe('live events: SSE and WebSocket resume across a restart', () => {
  let h: Harness;
  let chat: { rowid: number; guid: string };
  before(async () => {
    h = await startHarness({}, (f) => { chat = f.addChat(['+15550000001']); });
    h.gateway.feed(readerFor(h), 0);
  });
  after(async () => { await h.close(); });

  const texts = (evs: { data: { message: { text: string } } }[]) => evs.map((e) => e.data.message.text);

  it('an SSE client keeps reading across a bridge restart and misses nothing, without duplicates', async () => {
    const subscribers = await liveClients(h);
    const first = sse(`${h.url}/v1/events`, h.tokens.read);
    await waitFor('SSE connected', () => first.status() === 200);
    await waitFor('the SSE client subscribed to the hub', async () => (await liveClients(h)) > subscribers);
    for (let i = 0; i < 5; i++) h.chatdb.addMessage(chat, `live ${i}`);
    await waitFor('5 live events', () => first.events.length >= 5);
    const resumeFrom = first.lastId()!;
    first.close();
    h.gateway.stopFeed();
    await h.api.stop();
    for (let i = 0; i < 7; i++) h.chatdb.addMessage(chat, `while down ${i}`);
    await h.restart();
    h.gateway.feed(readerFor(h), h.chatdb.db.prepare('SELECT max(ROWID) FROM message').pluck().get() as number);
    const second = sse(`${h.url}/v1/events`, h.tokens.read, resumeFrom);
    await waitFor('replay of 7', () => second.events.length >= 7);
    for (let i = 0; i < 3; i++) h.chatdb.addMessage(chat, `after restart ${i}`);
    await waitFor('10 events', () => second.events.length >= 10);
    // Sentinel instead of a sleep: a duplicate at the seam would arrive before a row written after it.
    h.chatdb.addMessage(chat, 'sentinel');
    await waitFor('the sentinel', () => second.events.some((e) => e.data.message.text === 'sentinel'));
    second.close();
    assert.equal(second.events.at(-1)!.data.message.text, 'sentinel');
    const all = [...first.events, ...second.events.slice(0, -1)];
    assert.deepEqual(texts(all), [0, 1, 2, 3, 4].map((i) => `live ${i}`).concat([0, 1, 2, 3, 4, 5, 6].map((i) => `while down ${i}`), [0, 1, 2].map((i) => `after restart ${i}`)));
    const ids = all.map((e) => Number(e.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'ids are ROWIDs in order');
    assert.equal(new Set(ids).size, ids.length, 'no duplicates at the seam');
  });

  it('has no gap or duplicate at the replay/live seam under a concurrent burst', async () => {
    const base = h.chatdb.db.prepare('SELECT max(ROWID) FROM message').pluck().get() as number;
    for (let i = 0; i < 600; i++) h.chatdb.addMessage(chat, `pre ${i}`);
    const writer = (async () => { for (let i = 0; i < 300; i++) { h.chatdb.addMessage(chat, `burst ${i}`); if (i % 20 === 0) await new Promise((r) => setImmediate(r)); } })();
    const c = sse(`${h.url}/v1/events`, h.tokens.read, String(base));
    await writer;
    await waitFor('900 events', () => c.events.length >= 900, 30_000);
    // Sentinel instead of a sleep: a duplicate or a late row would arrive before a row written after the burst.
    h.chatdb.addMessage(chat, 'after the burst');
    await waitFor('the sentinel', () => c.events.some((e) => e.data.message.text === 'after the burst'));
    c.close();
    const ids = c.events.map((e) => Number(e.id));
    assert.equal(ids.length, 901);
    ids.forEach((id, i) => assert.equal(id, base + 1 + i));
  });

  it('a WebSocket client resumes from ?last_event_id the same way, and needs the header token', async () => {
    const base = h.chatdb.db.prepare('SELECT max(ROWID) FROM message').pluck().get() as number;
    for (let i = 0; i < 4; i++) h.chatdb.addMessage(chat, `ws ${i}`);
    const got: { id: number; message: { text: string } }[] = [];
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/v1/ws?last_event_id=${base}`, { headers: bearer(h.tokens.read) });
    ws.on('message', (d) => got.push(JSON.parse(String(d))));
    await waitFor('ws replay', () => got.length >= 4);
    h.chatdb.addMessage(chat, 'ws live');
    await waitFor('ws live', () => got.length >= 5);
    ws.close();
    assert.deepEqual(got.map((e) => e.message.text), ['ws 0', 'ws 1', 'ws 2', 'ws 3', 'ws live']);
    assert.deepEqual(got.map((e) => e.id), [1, 2, 3, 4, 5].map((i) => base + i));
    const denied = new WebSocket(`${h.url.replace('http', 'ws')}/v1/ws`).on('error', () => undefined);
    const status = await new Promise<number>((resolve) => denied.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    denied.terminate();
    assert.equal(status, 401);
    const inQuery = new WebSocket(`${h.url.replace('http', 'ws')}/v1/ws?access_token=${h.tokens.read}`).on('error', () => undefined);
    assert.equal(await new Promise<number>((resolve) => inQuery.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))), 400);
    inQuery.terminate();
  });

  it('rejects a malformed Last-Event-ID', async () => {
    const c = sse(`${h.url}/v1/events`, h.tokens.read, 'abc');
    await waitFor('status', () => c.status() !== 0);
    assert.equal(c.status(), 400);
    c.close();
  });
});
