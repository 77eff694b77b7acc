import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { bearer, http, liveClients, readerFor, startHarness, waitFor, type Harness } from './support/harness.ts';

describe('api under load', () => {
  let h: Harness;
  let chat: { rowid: number; guid: string };
  before(async () => {
    h = await startHarness({ sends_per_minute: 10_000 }, (f) => { chat = f.addChat(['+15550000001']); });
    h.gateway.feed(readerFor(h), 0, 10);
  });
  after(async () => { await h.close(); });

  it('serves 200 concurrent readers and sends while the watcher ingests a 5,000-message burst; an SSE client gets all of it in order', async () => {
    const events: number[] = [];
    let buf = '';
    const subscribers = await liveClients(h);
    const sse = request(`${h.url}/v1/events`, { headers: bearer(h.tokens.read) }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        const end = buf.lastIndexOf('\n\n');
        if (end < 0) return;
        for (const m of buf.slice(0, end).matchAll(/^id: (\d+)$/gm)) events.push(Number(m[1]));
        buf = buf.slice(end + 2);
      });
    });
    sse.on('error', () => undefined);
    sse.end();
    await waitFor('the SSE client subscribed to the hub', async () => (await liveClients(h)) > subscribers);
    const burst = (async () => {
      for (let i = 0; i < 5000; i++) {
        h.chatdb.addMessage(chat, `burst message ${i}`);
        if (i % 100 === 0) await new Promise((r) => setImmediate(r));
      }
    })();
    const agent = new Agent({ keepAlive: true, maxSockets: 200 });
    const g = encodeURIComponent(chat.guid);
    const paths = ['/v1/chats', `/v1/chats/${g}/messages?limit=50`, '/v1/search?q=burst', `/v1/messages/none`];
    const readers = Array.from({ length: 200 }, (_, i) => new Promise<number>((resolve, reject) => {
      const req = request(`${h.url}${paths[i % paths.length]}`, { agent, headers: bearer(h.tokens.read) }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
      req.on('error', reject);
      req.end();
    }));
    const sends = Array.from({ length: 20 }, (_, i) => http(`${h.url}/v1/send`, { method: 'POST', headers: { ...bearer(h.tokens.readSend), 'content-type': 'application/json' }, body: JSON.stringify({ chat: chat.guid, text: `send ${i}` }) }));
    const statuses = await Promise.all(readers);
    const sendStatuses = (await Promise.all(sends)).map((r) => r.status);
    await burst;
    statuses.forEach((s, i) => assert.equal(s, i % paths.length === 3 ? 404 : 200));
    assert.deepEqual(sendStatuses, Array(20).fill(202));
    assert.equal(h.gateway.sent.length, 20);
    await waitFor('5000 events', () => events.length >= 5000, 45_000);
    sse.destroy();
    agent.destroy();
    assert.equal(events.length, 5000);
    const first = h.chatdb.db.prepare("SELECT ROWID FROM message WHERE text = 'burst message 0'").pluck().get() as number;
    events.forEach((id, i) => assert.equal(id, first + i, 'every burst row once, in ROWID order'));
    const found = (await http(`${h.url}/v1/search?q=${encodeURIComponent('"burst message 4999"')}`, { headers: bearer(h.tokens.read) })).json();
    assert.equal(found.results.length, 1, 'the live feed indexed the burst for search');
  });
});
