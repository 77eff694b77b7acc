import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { TokenStore } from '../../src/api/tokens.ts';
import { messageGuid } from '../../src/ids.ts';
import { bearer, http, liveClients, readerFor, startHarness, waitFor, type Harness } from './support/harness.ts';
import { sse } from './support/sse.ts';

describe('send fates on the live stream, private to the sending token', () => {
  let h: Harness;
  let chat: { rowid: number; guid: string };
  let otherSender: string;
  before(async () => {
    h = await startHarness({}, (f) => { chat = f.addChat(['+15550000001']); });
    otherSender = new TokenStore(h.bridgeDb).create(['read', 'send'], 'another-sender').token;
  });
  after(async () => { await h.close(); });

  const fates = (c: ReturnType<typeof sse>) => c.events.filter((e) => e.event === 'fate').map((e) => e.data as unknown as Record<string, unknown>);

  it('the sender\'s SSE and WebSocket clients get `fate` frames; another token and a read-only token get none', async () => {
    const subscribers = await liveClients(h);
    const mine = sse(`${h.url}/v1/events`, h.tokens.readSend);
    const other = sse(`${h.url}/v1/events`, otherSender);
    const reader = sse(`${h.url}/v1/events`, h.tokens.read);
    const ws: Record<string, unknown>[] = [];
    const socket = new WebSocket(`${h.url.replace('http', 'ws')}/v1/ws`, { headers: bearer(h.tokens.readSend) });
    socket.on('message', (d) => ws.push(JSON.parse(String(d))));
    await new Promise((r) => socket.once('open', r));
    await waitFor('SSE connected', () => mine.status() === 200 && other.status() === 200 && reader.status() === 200);
    await waitFor('the three SSE clients and the WebSocket subscribed', async () => (await liveClients(h)) >= subscribers + 4);

    const sent = await http(`${h.url}/v1/send`, { method: 'POST', headers: bearer(h.tokens.readSend, { 'content-type': 'application/json' }), body: JSON.stringify({ chat: chat.guid, text: 'hello' }) });
    assert.equal(sent.status, 202);
    const id = sent.json().id as string;
    // Another token's send: its fate must not reach `mine`.
    const theirs = (await http(`${h.url}/v1/send`, { method: 'POST', headers: bearer(otherSender, { 'content-type': 'application/json' }), body: JSON.stringify({ chat: chat.guid, text: 'theirs' }) })).json().id as string;

    h.gateway.settle(id, { state: 'sending' });
    h.gateway.settle(theirs, { state: 'failed', code: 'send_failed', reason: 'Messages refused it' });
    h.gateway.settle(id, { state: 'sent', messageGuid: messageGuid('AAAA-BBBB') });
    await waitFor('fates on SSE and WS', () => fates(mine).length >= 2 && ws.length >= 2 && fates(other).length >= 1);
    // Sentinel instead of a sleep: a message written now reaches every stream after any fate it was (wrongly) sent.
    h.gateway.feed(readerFor(h), (h.chatdb.db.prepare('SELECT max(ROWID) FROM message').pluck().get() as number | null) ?? 0);
    h.chatdb.addMessage(chat, 'sentinel');
    await waitFor('the sentinel message on every stream', () => [mine, other, reader].every((c) => c.events.some((e) => e.event !== 'fate')) && ws.some((w) => w.type !== 'fate'));

    assert.deepEqual(fates(mine), [{ id, state: 'sending' }, { id, state: 'sent', messageGuid: 'AAAA-BBBB' }]);
    assert.deepEqual(ws.filter((w) => w.type === 'fate'), [{ type: 'fate', id, state: 'sending' }, { type: 'fate', id, state: 'sent', messageGuid: 'AAAA-BBBB' }]);
    assert.deepEqual(fates(other), [{ id: theirs, state: 'failed', code: 'send_failed', reason: 'Messages refused it' }], 'only its own send');
    assert.deepEqual(fates(reader), [], 'a read-only token made no send and sees none');
    for (const c of [mine, other]) assert.ok(c.events.every((e) => e.event !== 'fate' || e.id === null), 'a fate frame moves no resume position');
    for (const c of [mine, other, reader]) c.close();
    socket.close();
  });
});
