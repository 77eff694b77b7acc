import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { messageGuid } from '../../src/ids.ts';
import { bearer, http, startHarness, waitFor, type Harness } from './support/harness.ts';

describe('api sending and search', () => {
  let h: Harness;
  let chat: { rowid: number; guid: string };
  let other: { rowid: number; guid: string };
  before(async () => {
    h = await startHarness({ sends_per_minute: 1000 }, (f) => {
      chat = f.addChat(['+15550000001']);
      other = f.addChat(['+15550000002']);
      f.addMessage(chat, 'Shall we get pizza tonight?', { date: Date.UTC(2024, 0, 1) });
      f.addMessage(chat, 'good morning sunshine', { date: Date.UTC(2024, 5, 1) });
      f.addMessage(other, 'The pizzeria <script>alert(1)</script> closed', { date: Date.UTC(2024, 6, 1) });
    });
    await h.api.searchReady;
  });
  after(async () => { await h.close(); });
  const post = (body: unknown, q = '', token = h.tokens.readSend) =>
    http(`${h.url}/v1/send${q}`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('queues a send through the gateway and answers 202 with an id; the fate is readable', async () => {
    const res = await post({ chat: chat.guid, text: 'hello from the API' });
    assert.equal(res.status, 202, res.body);
    const { id } = res.json();
    const sent = h.gateway.sent.find((r) => r.id === id)!;
    assert.equal(sent.intent.chatGuid, chat.guid);
    assert.equal(sent.intent.text, 'hello from the API');
    assert.deepEqual(sent.intent.from, { connector: 'api', userId: sent.intent.from.userId, displayName: 'full' });
    const fate = await http(`${h.url}/v1/outbox/${id}`, { headers: bearer(h.tokens.readSend) });
    assert.deepEqual(fate.json().fate, { state: 'queued' });
    assert.equal((await http(`${h.url}/v1/outbox/nope`, { headers: bearer(h.tokens.readSend) })).status, 404);
    const to = await post({ to: '+15550009999', text: 'new person' });
    assert.equal(h.gateway.sent.find((r) => r.id === to.json().id)!.intent.chatGuid, 'iMessage;-;+15550009999');
  });

  it('?wait=true holds until chat.db confirms, and reports a timeout otherwise', async () => {
    const pending = post({ chat: chat.guid, text: 'wait for me' }, '?wait=true');
    const r = await waitFor('send queued', () => h.gateway.sent.find((s) => s.intent.text === 'wait for me'));
    h.gateway.settle(r.id, { state: 'sent', messageGuid: messageGuid('G-1') });
    const res = await pending;
    assert.equal(res.status, 200);
    assert.deepEqual(res.json().fate, { state: 'sent', messageGuid: 'G-1' });
    const slow = await post({ chat: chat.guid, text: 'never confirmed' }, '?wait=true&timeout_ms=200');
    assert.equal(slow.status, 202);
    assert.equal(slow.json().timed_out, true);
  });

  it('accepts multipart with a file, and removes the staged file once the send is final', async () => {
    const form = new FormData();
    form.set('chat', chat.guid);
    form.set('text', 'a photo');
    form.set('file', new Blob([Buffer.from('IMAGE')], { type: 'image/png' }), '../../evil name.png');
    const res = await fetch(`${h.url}/v1/send`, { method: 'POST', headers: bearer(h.tokens.readSend), body: form });
    assert.equal(res.status, 202);
    const { id } = await res.json() as { id: string };
    const file = h.gateway.sent.find((s) => s.id === id)!.intent.file!;
    assert.equal(file.name, 'evil name.png');
    assert.ok(existsSync(file.path));
    h.gateway.settle(id, { state: 'sent', messageGuid: messageGuid('G-2') });
    await waitFor('staged file removed', () => !existsSync(file.path));
  });

  it('enforces send_restriction: mirrored chats only, or an allowlist', async () => {
    const t = await startHarness({ send_restriction: 'mirrored' }, (f) => { f.addChat(['+15550000001']); });
    try {
      const g = 'iMessage;-;+15550000001';
      const send = () => http(`${t.url}/v1/send`, { method: 'POST', headers: { ...bearer(t.tokens.readSend), 'content-type': 'application/json' }, body: JSON.stringify({ chat: g, text: 'x' }) });
      assert.equal((await send()).json().error.code, 'send_not_allowed');
      t.gateway.mirrored.add(g);
      assert.equal((await send()).status, 202);
    } finally { await t.close(); }
    const a = await startHarness({ send_restriction: 'allowlist', send_allowlist: ['+15550000001'] });
    try {
      const send = (to: string) => http(`${a.url}/v1/send`, { method: 'POST', headers: { ...bearer(a.tokens.readSend), 'content-type': 'application/json' }, body: JSON.stringify({ to, text: 'x' }) });
      assert.equal((await send('+15550000002')).status, 403);
      assert.equal((await send('+15550000001')).status, 202);
      assert.equal(a.gateway.sent.length, 1);
    } finally { await a.close(); }
  });

  it('rate-limits sends per token', async () => {
    const t = await startHarness({ sends_per_minute: 2 });
    try {
      const send = () => http(`${t.url}/v1/send`, { method: 'POST', headers: { ...bearer(t.tokens.readSend), 'content-type': 'application/json' }, body: JSON.stringify({ to: '+15550000001', text: 'x' }) });
      assert.equal((await send()).status, 202);
      assert.equal((await send()).status, 202);
      const third = await send();
      assert.equal(third.status, 429);
      assert.equal(third.json().error.code, 'rate_limited');
    } finally { await t.close(); }
  });

  const search = (q: string) => http(`${h.url}/v1/search?${q}`, { headers: bearer(h.tokens.read) });

  it('finds words, phrases and prefixes with a highlighted, escaped snippet and the chat', async () => {
    const prefix = (await search('q=pizz*')).json().results;
    assert.equal(prefix.length, 2);
    assert.match(prefix[0].snippet, /<mark>pizzeria<\/mark>/);
    assert.ok(!prefix[0].snippet.includes('<script>'), 'message text is HTML-escaped');
    assert.equal(prefix[0].chat.guid, other.guid);
    const phrase = (await search(`q=${encodeURIComponent('"good morning"')}`)).json().results;
    assert.equal(phrase.length, 1);
    assert.equal(phrase[0].snippet, '<mark>good morning</mark> sunshine');
    assert.equal((await search(`q=${encodeURIComponent('"morning good"')}`)).json().results.length, 0);
    assert.equal((await search('q=pizza')).json().results.length, 1, 'a whole word is not a prefix');
  });

  it('filters by chat and date', async () => {
    assert.equal((await search(`q=pizz*&chat=${encodeURIComponent(chat.guid)}`)).json().results.length, 1);
    assert.equal((await search('q=pizz*&from=2024-06-15')).json().results.length, 1);
    assert.equal((await search(`q=pizz*&to=${Date.UTC(2024, 2, 1)}`)).json().results.length, 1);
    assert.equal((await search('q=x&chat=iMessage;-;nobody')).status, 404);
  });

  it('turns FTS5 syntax in user input into a safe query, never a 500', async () => {
    for (const q of ['"unbalanced', 'AND OR NOT', 'NEAR(a b)', 'text:pizza', '{text}: x', '***', '(((', 'a"b', '-pizza', '^pizza']) {
      const res = await search(`q=${encodeURIComponent(q)}`);
      assert.ok(res.status === 200 || (res.status === 400 && res.json().error.code === 'bad_query'), `${q}: ${res.status} ${res.body}`);
    }
    assert.equal((await search('q=')).status, 400);
    assert.equal((await search('q=pizza&from=yesterday-ish')).status, 400);
  });

  it('indexes live events incrementally', async () => {
    const m = h.chatdb.addMessage(chat, 'zebra crossing');
    const reader = (await import('../../src/api/reader.ts')).openReader(h.chatdb.path, h.chatdb.home);
    const msg = reader.messageByGuid(m.guid)!;
    h.gateway.emit({ seq: 1, key: `msg:${m.guid}`, chatGuid: msg.chatGuid!, event: { type: 'message', chat: reader.chat(chat.guid)!, message: msg, sentBy: null } });
    reader.close();
    const res = (await search('q=zebr*')).json().results;
    assert.equal(res.length, 1);
    assert.equal(res[0].message.guid, m.guid);
  });

  it('hits carry the whole message with ISO dates, its chat and the snippet; cursors page both ways', async () => {
    const all = (await search('q=pizz*')).json();
    const hit = all.results[1];
    assert.equal(hit.message.text, 'Shall we get pizza tonight?');
    assert.equal(hit.message.date, '2024-01-01T00:00:00.000Z');
    assert.equal(hit.chat.guid, chat.guid);
    assert.equal(all.next_cursor, null);
    assert.equal(all.prev_cursor, null);
    const first = (await search('q=pizz*&limit=1')).json();
    assert.equal(first.results.length, 1);
    assert.equal(first.prev_cursor, null, 'nothing newer than the newest page');
    const second = (await search(`q=pizz*&limit=1&cursor=${encodeURIComponent(first.next_cursor)}`)).json();
    assert.deepEqual(second.results.map((r: { message: { guid: string } }) => r.message.guid), [hit.message.guid]);
    assert.equal(second.next_cursor, null);
    const back = (await search(`q=pizz*&limit=1&cursor=${encodeURIComponent(second.prev_cursor)}`)).json();
    assert.deepEqual(back.results.map((r: { message: { guid: string } }) => r.message.guid), [first.results[0].message.guid]);
    assert.equal(back.prev_cursor, null);
    const wrongList = Buffer.from(JSON.stringify({ v: 2, k: 'chats', d: 'next', key: [1, 2] })).toString('base64url');
    const bad = await search(`q=pizz*&cursor=${wrongList}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json().error.code, 'bad_cursor');
  });
});
