import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { apiUploadDir } from '../../src/api/index.ts';
import { bearer, http, startHarness, type Harness } from './support/harness.ts';

describe('send input hardening', () => {
  let h: Harness;
  let chat: { rowid: number; guid: string };
  before(async () => {
    h = await startHarness({ sends_per_minute: 1000, file_limit_bytes: 1000 }, (f) => { chat = f.addChat(['+15550000001']); });
  });
  after(async () => { await h.close(); });

  const post = (body: unknown, token = h.tokens.readSend) =>
    http(`${h.url}/v1/send`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const staged = () => readdirSync(apiUploadDir(h.bridgeDb.name));
  const multipart = async (fields: Record<string, string>, fileBytes: number) => {
    const form = new FormData();
    // The file first, so it is on disk before the fields are checked.
    form.set('file', new Blob([Buffer.alloc(fileBytes, 1)], { type: 'image/png' }), 'photo.png');
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const res = await fetch(`${h.url}/v1/send`, { method: 'POST', headers: bearer(h.tokens.readSend), body: form });
    return { status: res.status, body: await res.json() as { error: { code: string } } };
  };

  it('stages uploads under <bridge dir>/api-uploads (apiUploadDir), for the sender\'s allowed folders', () => {
    assert.ok(existsSync(apiUploadDir(h.bridgeDb.name)));
    assert.equal(apiUploadDir('/x/bridge/bridge.db'), '/x/bridge/api-uploads');
  });

  it('removes the staged upload when the file is too large', async () => {
    const res = await multipart({ chat: chat.guid }, 5000);
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'body_too_large');
    assert.deepEqual(staged(), []);
  });

  it('removes the staged upload when a field is invalid', async () => {
    const res = await multipart({ to: 'not a handle' }, 10);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_body');
    assert.deepEqual(staged(), []);
    assert.equal(h.gateway.sent.length, 0);
  });

  it('rejects NUL and control characters in `to` and `chat` with a 400', async () => {
    for (const body of [{ to: 'a\u0000b@example.com', text: 'x' }, { to: 'a\u001bb@example.com', text: 'x' }, { chat: `${chat.guid}\u0000`, text: 'x' }, { chat: `${chat.guid}\u007f`, text: 'x' }]) {
      const res = await post(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json().error.code, 'invalid_body');
    }
    assert.equal(h.gateway.sent.length, 0);
  });

  it('says so when NUL in the text will be removed, and says nothing otherwise', async () => {
    const nul = await post({ chat: chat.guid, text: 'a\u0000b' });
    assert.equal(nul.status, 202, nul.body);
    assert.match(nul.json().warnings[0], /NUL characters .* removed/);
    const plain = await post({ chat: chat.guid, text: 'ab' });
    assert.equal(plain.json().warnings, undefined);
  });

  it('limits text by UTF-8 bytes: 100 KB of emoji is accepted, over 120 KB is not', async () => {
    const emoji = '😀'.repeat(25_000);
    assert.equal(Buffer.byteLength(emoji), 100_000);
    const ok = await post({ chat: chat.guid, text: emoji });
    assert.equal(ok.status, 202, ok.body);
    assert.equal(h.gateway.sent.find((s) => s.id === ok.json().id)!.intent.text, emoji);
    const tooBig = await post({ chat: chat.guid, text: 'é'.repeat(60_001) });
    assert.equal(tooBig.status, 400);
  });

  it('a send token reads only its own sends', async () => {
    const mine = (await post({ chat: chat.guid, text: 'private' })).json().id as string;
    assert.equal((await http(`${h.url}/v1/outbox/${mine}`, { headers: bearer(h.tokens.readSend) })).status, 200);
    const other = await http(`${h.url}/v1/outbox/${mine}`, { headers: bearer(h.tokens.send) });
    assert.equal(other.status, 404);
    assert.equal(other.json().error.code, 'unknown_send');
  });
});
