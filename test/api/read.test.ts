import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bearer, http, startHarness, type Harness } from './support/harness.ts';

describe('api reading: chats, messages, attachments, bad input', () => {
  let h: Harness;
  const ids: { chat: { rowid: number; guid: string }; msgs: { rowid: number; guid: string }[]; att: string; outside: string; link: string } = {} as never;
  before(async () => {
    h = await startHarness({ body_limit_bytes: 4096 }, (f) => {
      ids.chat = f.addChat(['+15550000001']);
      for (let i = 0; i < 30; i++) f.addChat([`+1555100${String(i).padStart(4, '0')}`]);
      ids.msgs = Array.from({ length: 25 }, (_, i) => f.addMessage(ids.chat, `message number ${i}`, { date: 1_700_000_000_000 + i * 1000 }));
      const m = ids.msgs[0]!;
      f.writeAttachmentFile('ab/photo.png', 'PNGDATA');
      f.addAttachment(m, '~/Library/Messages/Attachments/ab/photo.png');
      ids.att = m.guid;
      const outsideFile = join(f.home, 'secret.txt');
      writeFileSync(outsideFile, 'SECRET');
      const m2 = ids.msgs[1]!;
      f.addAttachment(m2, '~/Library/Messages/Attachments/../../../secret.txt');
      ids.outside = m2.guid;
      symlinkSync(outsideFile, join(f.home, 'Library/Messages/Attachments/link.txt'));
      const m3 = ids.msgs[2]!;
      f.addAttachment(m3, '~/Library/Messages/Attachments/link.txt', 'text/plain', 'link.txt');
      ids.link = m3.guid;
    });
  });
  after(async () => { await h.close(); });
  const get = (path: string) => http(h.url + path, { headers: bearer(h.tokens.read) });

  it('pages through all chats with an opaque cursor, newest activity first, no duplicates', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/v1/chats?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(res.status, 200);
      const b = res.json();
      seen.push(...b.chats.map((c: { guid: string }) => c.guid));
      cursor = b.next_cursor;
    } while (cursor);
    assert.equal(seen.length, 31);
    assert.equal(new Set(seen).size, 31);
    assert.equal(seen[0], ids.chat.guid, 'the chat with messages comes first');
  });

  it('pages chats back with prev_cursor', async () => {
    const p1 = (await get('/v1/chats?limit=7')).json();
    assert.equal(p1.prev_cursor, null);
    const p2 = (await get(`/v1/chats?limit=7&cursor=${encodeURIComponent(p1.next_cursor)}`)).json();
    const back = (await get(`/v1/chats?limit=7&cursor=${encodeURIComponent(p2.prev_cursor)}`)).json();
    assert.deepEqual(back.chats.map((c: { guid: string }) => c.guid), p1.chats.map((c: { guid: string }) => c.guid));
    assert.equal(back.prev_cursor, null);
  });

  it('rejects a bad cursor and bad limits with 400', async () => {
    for (const q of ['cursor=garbage', `cursor=${Buffer.from('{"v":2}').toString('base64url')}`, 'limit=0', 'limit=abc', 'limit=100000']) {
      const res = await get(`/v1/chats?${q}`);
      assert.equal(res.status, 400, q);
      assert.ok(res.json().error.message.length > 0);
    }
    assert.equal((await get('/v1/chats?cursor=garbage')).json().error.code, 'bad_cursor');
  });

  it('pages a chat with opaque cursors both ways, ISO dates, attachment URLs', async () => {
    const g = encodeURIComponent(ids.chat.guid);
    const rowids = (p: { messages: { rowid: number }[] }) => p.messages.map((m) => m.rowid);
    const newest = (await get(`/v1/chats/${g}/messages?limit=10`)).json();
    assert.deepEqual(rowids(newest), ids.msgs.slice(15).map((m) => m.rowid));
    assert.equal(newest.prev_cursor, null, 'nothing newer than the newest page');
    assert.equal(newest.messages[0].date, new Date(1_700_000_000_000 + 15_000).toISOString());
    const older = (await get(`/v1/chats/${g}/messages?limit=10&cursor=${encodeURIComponent(newest.next_cursor)}`)).json();
    assert.deepEqual(rowids(older), ids.msgs.slice(5, 15).map((m) => m.rowid));
    const oldest = (await get(`/v1/chats/${g}/messages?limit=10&cursor=${encodeURIComponent(older.next_cursor)}`)).json();
    assert.deepEqual(rowids(oldest), ids.msgs.slice(0, 5).map((m) => m.rowid));
    assert.equal(oldest.next_cursor, null, 'nothing older than the first message');
    assert.equal(oldest.messages[0].attachments[0].url, `/v1/attachments/${encodeURIComponent(ids.att)}/0`);
    const newer = (await get(`/v1/chats/${g}/messages?limit=10&cursor=${encodeURIComponent(oldest.prev_cursor)}`)).json();
    assert.deepEqual(rowids(newer), ids.msgs.slice(5, 15).map((m) => m.rowid));
    const newest2 = (await get(`/v1/chats/${g}/messages?limit=10&cursor=${encodeURIComponent(newer.prev_cursor)}`)).json();
    assert.deepEqual(rowids(newest2), ids.msgs.slice(15).map((m) => m.rowid));
    assert.equal(newest2.prev_cursor, null);
    const otherChat = (await get('/v1/chats')).json().chats[1].guid;
    const foreign = await get(`/v1/chats/${encodeURIComponent(otherChat)}/messages?cursor=${encodeURIComponent(newest.next_cursor)}`);
    assert.equal(foreign.status, 400);
    assert.equal(foreign.json().error.code, 'bad_cursor');
  });

  it('still takes the deprecated before= and after= ROWIDs', async () => {
    const g = encodeURIComponent(ids.chat.guid);
    const older = (await get(`/v1/chats/${g}/messages?limit=10&before=${ids.msgs[15]!.rowid}`)).json();
    assert.deepEqual(older.messages.map((m: { rowid: number }) => m.rowid), ids.msgs.slice(5, 15).map((m) => m.rowid));
    const fwd = (await get(`/v1/chats/${g}/messages?limit=3&after=${ids.msgs[3]!.rowid}`)).json();
    assert.deepEqual(fwd.messages.map((m: { rowid: number }) => m.rowid), ids.msgs.slice(4, 7).map((m) => m.rowid));
    assert.equal(fwd.messages[0].text, 'message number 4');
    assert.equal((await get(`/v1/chats/${g}/messages?before=1&after=2`)).status, 400);
    assert.equal((await get(`/v1/chats/${g}/messages?before=-1`)).status, 400);
  });

  it('answers 404 for an unknown chat, message or attachment', async () => {
    assert.equal((await get('/v1/chats/iMessage;-;+19999999999/messages')).json().error.code, 'unknown_chat');
    assert.equal((await get('/v1/messages/NOPE')).status, 404);
    assert.equal((await get(`/v1/messages/${ids.msgs[4]!.guid}`)).json().message.text, 'message number 4');
    assert.equal((await get(`/v1/attachments/${ids.att}/5`)).status, 404);
    assert.equal((await get('/v1/nothing-here')).json().error.code, 'not_found');
  });

  it('streams an attachment from the Messages folder, and never one outside it (.. or symlink)', async () => {
    const ok = await get(`/v1/attachments/${ids.att}/0`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body, 'PNGDATA');
    assert.equal(ok.headers['content-type'], 'image/png');
    assert.equal(ok.headers['x-content-type-options'], 'nosniff');
    for (const g of [ids.outside, ids.link]) {
      const res = await get(`/v1/attachments/${g}/0`);
      assert.equal(res.status, 404);
      assert.ok(!res.body.includes('SECRET'));
    }
    assert.equal((await get(`/v1/attachments/${ids.att}/..%2F..%2Fsecret`)).status, 400);
  });

  it('maps invalid JSON, a wrong content type and a huge body to clear 4xx errors', async () => {
    const send = (body: string, type = 'application/json') => http(`${h.url}/v1/send`, { method: 'POST', headers: { ...bearer(h.tokens.readSend), 'content-type': type }, body });
    const bad = await send('{"to": "+1555');
    assert.equal(bad.status, 400);
    assert.equal(bad.json().error.code, 'invalid_json');
    const huge = await send(JSON.stringify({ to: '+15550000001', text: 'x'.repeat(10_000) }));
    assert.equal(huge.status, 413);
    assert.equal(huge.json().error.code, 'body_too_large');
    const plain = await send('text=hi', 'text/plain');
    assert.equal(plain.status, 415, plain.body);
    const shape = await send(JSON.stringify({ chat: ids.chat.guid, to: '+15550000001', text: 'x' }));
    assert.equal(shape.json().error.code, 'invalid_body');
    assert.equal((await send(JSON.stringify({ to: 'not a handle', text: 'x' }))).status, 400);
    assert.equal((await send(JSON.stringify({ chat: 'iMessage;-;nobody', text: 'x' }))).json().error.code, 'unknown_chat');
    assert.equal(h.gateway.sent.length, 0, 'nothing bad reached the outbox');
  });
});
