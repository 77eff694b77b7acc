// Issue 14's defects, each checked through HTTP as an integrator would meet it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { openBridgeDb } from '../../src/core/db/bridgeDb.ts';
import { migrate } from '../../src/core/db/bridgeDb.ts';
import { migrations } from '../../src/core/db/migrations/index.ts';
import { bearer, http, startHarness, type Harness } from './support/harness.ts';

describe('api defects of issue 14', () => {
  let h: Harness;
  let chat: { rowid: number; guid: string };
  before(async () => {
    h = await startHarness({ sends_per_minute: 1000, auth_failures_per_minute: 3, cors_origins: ['https://app.example.com'] }, (f) => {
      chat = f.addChat(['+15550000001']);
      f.addMessage(chat, 'summit🧗‍♀️ascent', { date: Date.UTC(2024, 0, 1) });
      f.addMessage(chat, 'wave👋🏽hello', { date: Date.UTC(2024, 0, 2) });
      f.addMessage(chat, 'plain words only', { date: Date.UTC(2024, 0, 3) });
    });
    await h.api.searchReady;
  });
  after(async () => { await h.close(); });

  it('refuses invalid UTF-8 in a JSON body with a 400 and sends nothing', async () => {
    const body = Buffer.concat([Buffer.from(`{"chat":${JSON.stringify(chat.guid)},"text":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await http(`${h.url}/v1/send`, { method: 'POST', headers: { ...bearer(h.tokens.readSend), 'content-type': 'application/json' }, body });
    assert.equal(res.status, 400, res.body);
    assert.equal(res.json().error.code, 'invalid_json');
    assert.match(res.json().error.message, /UTF-8/);
    assert.equal(h.gateway.sent.length, 0);
    const ok = await http(`${h.url}/v1/send`, { method: 'POST', headers: { ...bearer(h.tokens.readSend), 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ chat: chat.guid, text: 'héllo 👋' }) });
    assert.equal(ok.status, 202, ok.body);
    assert.equal(h.gateway.sent[0]!.intent.text, 'héllo 👋');
  });

  it('answers a multipart body without a boundary (or a truncated one) with a 4xx', async () => {
    const none = await http(`${h.url}/v1/send`, { method: 'POST', headers: { ...bearer(h.tokens.readSend), 'content-type': 'multipart/form-data' }, body: '--x\r\n' });
    assert.equal(none.status, 400, none.body);
    assert.equal(none.json().error.code, 'invalid_body');
    assert.match(none.json().error.message, /boundary/);
    const truncated = await http(`${h.url}/v1/send`, { method: 'POST', headers: { ...bearer(h.tokens.readSend), 'content-type': 'multipart/form-data; boundary=XYZ' }, body: '--XYZ\r\nContent-Disposition: form-data; name="text"\r\n\r\nhel' });
    assert.ok(truncated.status >= 400 && truncated.status < 500, `${truncated.status} ${truncated.body}`);
  });

  it('finds words glued to newer emoji and skin-tone modifiers, and keeps the emoji in snippets', async () => {
    const search = async (q: string) => (await http(`${h.url}/v1/search?q=${encodeURIComponent(q)}`, { headers: bearer(h.tokens.read) })).json();
    for (const [q, text] of [['summit', 'summit🧗‍♀️ascent'], ['ascent', 'summit🧗‍♀️ascent'], ['hello', 'wave👋🏽hello'], ['wave', 'wave👋🏽hello'], ['summit🧗‍♀️ascent', 'summit🧗‍♀️ascent'], ['"wave👋🏽hello"', 'wave👋🏽hello']]) {
      const r = await search(q!);
      assert.equal(r.results.length, 1, `${q}: ${JSON.stringify(r)}`);
      assert.equal(r.results[0].snippet.replace(/<\/?mark>/g, ''), text, q);
    }
  });

  it('a migration re-indexes emoji rows of an existing search index', () => {
    const db = new Database(':memory:');
    migrate(db, migrations.filter((m) => m.version < 11));
    db.prepare('INSERT INTO search_fts (rowid, text, chat_key, chat_guid, sender, date, guid) VALUES (1, ?, ?, ?, ?, ?, ?)').run('summit🧗‍♀️ascent', 'k1', 'c', 's', 0, 'g1');
    db.prepare('INSERT INTO search_fts (rowid, text, chat_key, chat_guid, sender, date, guid) VALUES (2, ?, ?, ?, ?, ?, ?)').run('plain', 'k1', 'c', 's', 0, 'g2');
    const hits = () => db.prepare("SELECT rowid FROM search_fts WHERE search_fts MATCH 'text : summit'").pluck().all();
    assert.deepEqual(hits(), [], 'the old index misses the word');
    migrate(db, migrations.filter((m) => m.version <= 11)); // 012 later rebuilds the whole index (searchBackfill.test.ts)
    assert.deepEqual(hits(), [1]);
    assert.deepEqual(db.prepare("SELECT rowid FROM search_fts WHERE search_fts MATCH 'text : plain'").pluck().all(), [2]);
    db.close();
    openBridgeDb(':memory:').close(); // the full list applies cleanly to a new database too
  });

  it('answers a CORS preflight before auth, for a configured origin only', async () => {
    const pre = await http(`${h.url}/v1/chats`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    assert.ok(pre.status === 204 || pre.status === 200, `${pre.status} ${pre.body}`);
    assert.equal(pre.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.match(String(pre.headers['access-control-allow-headers']), /authorization/);
    const evil = await http(`${h.url}/v1/chats`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' } });
    assert.equal(evil.headers['access-control-allow-origin'], undefined);
    const get = await http(`${h.url}/v1/chats`, { headers: { ...bearer(h.tokens.read), origin: 'https://app.example.com' } });
    assert.equal(get.status, 200);
    assert.equal(get.headers['access-control-allow-origin'], 'https://app.example.com');
  });

  it('accepts the auth scheme in any case (RFC 9110)', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer', 'bEaReR']) {
      const res = await http(`${h.url}/v1/chats`, { headers: { authorization: `${scheme} ${h.tokens.read}` } });
      assert.equal(res.status, 200, scheme);
    }
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const del = await http(`${h.url}/v1/chats`, { method: 'DELETE', headers: bearer(h.tokens.read) });
    assert.equal(del.status, 405, del.body);
    assert.equal(del.json().error.code, 'method_not_allowed');
    assert.match(String(del.headers.allow), /\bGET\b/);
    const get = await http(`${h.url}/v1/send`, { headers: bearer(h.tokens.readSend) });
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
    const put = await http(`${h.url}/v1/chats/${encodeURIComponent(chat.guid)}/messages`, { method: 'PUT', headers: bearer(h.tokens.read) });
    assert.equal(put.status, 405);
    assert.equal((await http(`${h.url}/v1/nothing-here`, { headers: bearer(h.tokens.read) })).status, 404);
  });

  it('locks out failed auth per address with Retry-After, but never a request with a valid token', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await http(`${h.url}/v1/chats`, { headers: bearer('imb_wrong' + i) })).status, 401);
    const blocked = await http(`${h.url}/v1/chats`, { headers: bearer('imb_wrong-again') });
    assert.equal(blocked.status, 429);
    assert.equal(blocked.json().error.code, 'rate_limited');
    const wait = Number(blocked.headers['retry-after']);
    assert.ok(wait >= 1 && wait <= 60, `Retry-After: ${blocked.headers['retry-after']}`);
    const valid = await http(`${h.url}/v1/chats`, { headers: bearer(h.tokens.read) });
    assert.equal(valid.status, 200, 'a valid token is never locked out');
  });

  it('puts Retry-After on the send rate limit too', async () => {
    const t = await startHarness({ sends_per_minute: 1 }, (f) => { f.addChat(['+15550000001']); });
    try {
      const post = () => http(`${t.url}/v1/send`, { method: 'POST', headers: { ...bearer(t.tokens.readSend), 'content-type': 'application/json' }, body: JSON.stringify({ to: '+15550000001', text: 'hi' }) });
      assert.equal((await post()).status, 202);
      const limited = await post();
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers['retry-after']) >= 1, String(limited.headers['retry-after']));
    } finally {
      await t.close();
    }
  });
});
