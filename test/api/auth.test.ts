import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, http, startHarness, type Harness } from './support/harness.ts';

const ROUTES: { method: string; path: string; scope: 'read' | 'send'; body?: string }[] = [
  { method: 'GET', path: '/metrics', scope: 'read' },
  { method: 'GET', path: '/v1/chats', scope: 'read' },
  { method: 'GET', path: '/v1/chats/iMessage;-;+15550000001/messages', scope: 'read' },
  { method: 'GET', path: '/v1/messages/nope', scope: 'read' },
  { method: 'GET', path: '/v1/attachments/nope/0', scope: 'read' },
  { method: 'GET', path: '/v1/search?q=hello', scope: 'read' },
  { method: 'GET', path: '/v1/events', scope: 'read' },
  { method: 'GET', path: '/v1/ws', scope: 'read' },
  { method: 'POST', path: '/v1/send', scope: 'send', body: JSON.stringify({ to: '+15550000001', text: 'hi' }) },
  { method: 'GET', path: '/v1/outbox/nope', scope: 'send' },
];

describe('api auth and request guards', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ allowed_hosts: ['mac.tailnet.ts.net'], auth_failures_per_minute: 1000 }, (f) => {
      const c = f.addChat(['+15550000001']);
      f.addMessage(c, 'hello there');
    });
  });
  after(async () => { await h.close(); });

  const json = { 'content-type': 'application/json' };

  for (const r of ROUTES) {
    it(`${r.method} ${r.path}: no token → 401, wrong token → 401, wrong scope → 403`, async () => {
      const url = h.url + r.path;
      const noToken = await http(url, { method: r.method, headers: json, body: r.body });
      assert.equal(noToken.status, 401, noToken.body);
      assert.equal(noToken.json().error.code, 'unauthorized');
      const wrong = await http(url, { method: r.method, headers: { ...json, ...bearer('imb_' + 'x'.repeat(43)) }, body: r.body });
      assert.equal(wrong.status, 401);
      const malformed = await http(url, { method: r.method, headers: { ...json, authorization: `Basic ${h.tokens.readSend}` }, body: r.body });
      assert.equal(malformed.status, 401);
      const otherScope = r.scope === 'read' ? h.tokens.send : h.tokens.read;
      const scoped = await http(url, { method: r.method, headers: { ...json, ...bearer(otherScope) }, body: r.body });
      assert.equal(scoped.status, 403, scoped.body);
      assert.equal(scoped.json().error.code, 'forbidden_scope');
    });

    it(`${r.method} ${r.path}: a token in the query string is rejected even when valid`, async () => {
      for (const key of ['token', 'access_token']) {
        const sep = r.path.includes('?') ? '&' : '?';
        const res = await http(`${h.url}${r.path}${sep}${key}=${h.tokens.readSend}`, { method: r.method, headers: { ...json, ...bearer(h.tokens.readSend) }, body: r.body });
        assert.equal(res.status, 400);
        assert.equal(res.json().error.code, 'token_in_query');
        assert.match(res.json().error.advice, /Authorization: Bearer/);
      }
    });
  }

  it('healthz and openapi need no token; a valid token passes', async () => {
    assert.equal((await http(`${h.url}/healthz`)).status, 200);
    assert.equal((await http(`${h.url}/v1/openapi.json`)).status, 200);
    const ok = await http(`${h.url}/v1/chats`, { headers: bearer(h.tokens.read) });
    assert.equal(ok.status, 200);
    assert.equal(ok.json().chats.length, 1);
  });

  it('rejects foreign Host headers (DNS rebinding) and accepts loopback names and allowed_hosts', async () => {
    const port = h.api.port;
    for (const host of ['evil.example.com', `evil.example.com:${port}`, '192.168.1.10', 'localhost.evil.com']) {
      const res = await http(`${h.url}/v1/chats`, { headers: { ...bearer(h.tokens.read), host } });
      assert.equal(res.status, 421, host);
      assert.equal(res.json().error.code, 'bad_host');
    }
    const noAuthRebind = await http(`${h.url}/healthz`, { headers: { host: 'attacker.test' } });
    assert.equal(noAuthRebind.status, 421);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'mac.tailnet.ts.net', `MAC.tailnet.ts.net:${port}`]) {
      const res = await http(`${h.url}/v1/chats`, { headers: { ...bearer(h.tokens.read), host } });
      assert.equal(res.status, 200, host);
    }
  });

  it('sends no CORS headers unless configured', async () => {
    const res = await http(`${h.url}/v1/chats`, { headers: { ...bearer(h.tokens.read), origin: 'https://evil.example.com' } });
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    const pre = await http(`${h.url}/v1/chats`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' } });
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
  });

  it('never logs a token, from the header or the query string', async () => {
    await http(`${h.url}/v1/chats?token=${h.tokens.readSend}`, { headers: bearer(h.tokens.readSend) });
    await http(`${h.url}/v1/chats`, { headers: bearer(h.tokens.read) });
    await http(`${h.url}/v1/chats`, { headers: bearer(h.tokens.read + 'x') });
    // Keys no list foresees: redacted by the token's shape, even by a plain logger.
    await http(`${h.url}/v1/chats?bearer=${h.tokens.readSend}&authorization=Bearer%20${h.tokens.read}`, { headers: bearer(h.tokens.readSend) });
    await http(`${h.url}/v1/nope/${h.tokens.send}`, { headers: bearer(h.tokens.readSend) });
    assert.ok(h.logLines.length > 0, 'requests are logged');
    const all = h.logLines.join('\n');
    for (const t of Object.values(h.tokens)) assert.ok(!all.includes(t), 'token leaked into the log');
    assert.doesNotMatch(all, /bearer(\s|%20)+imb_[A-Za-z0-9_-]/i, 'authorization header leaked into the log');
    assert.match(all, /bearer=imb_\[redacted\]/, 'the query request was logged, redacted');
  });

  it('throttles an address after repeated failed authentications', async () => {
    const t = await startHarness({ auth_failures_per_minute: 3 });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await http(`${t.url}/v1/chats`, { headers: bearer('imb_wrong' + i) })).status, 401);
      const blocked = await http(`${t.url}/v1/chats`, { headers: bearer('imb_wrong-again') });
      assert.equal(blocked.status, 429);
      assert.equal(blocked.json().error.code, 'rate_limited');
      assert.equal((await http(`${t.url}/healthz`)).status, 200, 'public routes stay up');
    } finally {
      await t.close();
    }
  });
});
