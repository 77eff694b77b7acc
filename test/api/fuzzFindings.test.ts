// What Schemathesis (scripts/ci/api.sh) found, pinned as plain tests so they
// fail here too: every answer is documented, and a value the document calls
// invalid is refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, http, startHarness, type Harness } from './support/harness.ts';

describe('fuzzing findings', () => {
  let h: Harness;
  let chat: { guid: string };
  before(async () => { h = await startHarness({}, (f) => { chat = f.addChat(['+15550000001']); f.addMessage(chat as never, 'hello'); }); });
  after(async () => { await h.close(); });
  const get = (path: string) => http(h.url + path, { headers: bearer(h.tokens.readSend) });

  it('an empty ?after= / ?before= is a 400, not ROWID 0', async () => {
    for (const q of ['after=', 'before=']) {
      const r = await get(`/v1/chats/${encodeURIComponent(chat.guid)}/messages?${q}`);
      assert.equal(r.status, 400, `${q}: ${r.body}`);
      assert.match(r.json().error.message, /^(after|before): /);
    }
    assert.equal((await get('/v1/search?q=hello&before=')).status, 400);
    assert.equal((await get(`/v1/chats/${encodeURIComponent(chat.guid)}/messages?after=0`)).status, 200);
  });

  it('a path parameter longer than fastify\'s default limit is a documented 400, not a 414', async () => {
    for (const path of [`/v1/messages/${'x'.repeat(301)}`, `/v1/chats/${'%C3%A9'.repeat(301)}/messages`, `/v1/attachments/${'y'.repeat(400)}/0`]) {
      const r = await get(path);
      assert.equal(r.status, 400, `${path.slice(0, 40)}: ${r.status} ${r.body}`);
      assert.equal(r.json().error.code, 'bad_request');
    }
  });

  it('an unknown method with a body-less request is a 405 with Allow, like any other wrong method', async () => {
    for (const [method, path, allow] of [['QUERY', '/v1/send', 'POST'], ['QUERY', '/healthz', 'GET'], ['PATCH', '/v1/chats', 'GET']] as const) {
      const r = await http(h.url + path, { method, headers: bearer(h.tokens.readSend) });
      assert.equal(r.status, 405, `${method} ${path}: ${r.body}`);
      assert.ok(String(r.headers.allow).includes(allow), `${method} ${path}: allow ${String(r.headers.allow)}`);
    }
    const none = await http(`${h.url}/v1/nothing-here`, { method: 'QUERY', headers: bearer(h.tokens.readSend) });
    assert.equal(none.status, 404);
  });

  it('search from/to take what the document says (epoch ms, ISO date or date-time) and refuse the rest', async () => {
    for (const v of ['1700000000000', '2024-05-01', '2024-05-01T12:00:00Z', '2024-05-01T12:00:00.000+02:00']) {
      const r = await get(`/v1/search?q=hello&from=${encodeURIComponent(v)}`);
      assert.equal(r.status, 200, `${v}: ${r.body}`);
    }
    for (const v of ['yesterday', '2024-13-01', '']) {
      const r = await get(`/v1/search?q=hello&to=${encodeURIComponent(v)}`);
      assert.equal(r.status, 400, `${JSON.stringify(v)}: ${r.body}`);
      assert.equal(r.json().error.code, 'bad_query');
    }
  });

  it('the documented scheduled-send example is one the API accepts', async () => {
    const doc = (await http(`${h.url}/v1/openapi.json`)).json();
    const example = doc.paths['/v1/send'].post.requestBody.content['application/json'].examples.scheduled.value;
    const r = await http(`${h.url}/v1/send`, { method: 'POST', headers: { ...bearer(h.tokens.readSend), 'content-type': 'application/json' }, body: JSON.stringify(example) });
    assert.equal(r.status, 202, r.body);
    assert.equal(r.json().fate.state, 'scheduled');
  });
});
