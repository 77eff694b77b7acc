// macOS 26 writes every chat guid as `any;-;…` / `any;+;…`. The API keeps the
// guid as is, but reports the service the chat's messages use, so a chat and
// its messages agree (issue 14, "one representation per thing").
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, http, startHarness, type Harness } from './support/harness.ts';
import { waitFor } from '../support/waitFor.ts';

describe('chat service on macOS 26', () => {
  let h: Harness;
  const guids = { sms: 'any;-;+15550000002', imsg: 'any;-;+15550000003', empty: 'any;-;+15550000004' };
  before(async () => {
    h = await startHarness({}, (f) => {
      for (const [kind, guid] of Object.entries(guids)) {
        const handle = guid.slice('any;-;'.length);
        const c = f.addChat([handle]);
        f.db.prepare("UPDATE chat SET guid = ?, service_name = 'any' WHERE ROWID = ?").run(guid, c.rowid);
        if (kind === 'empty') continue;
        const m = f.addMessage(c, `hello over ${kind}`, { from: handle });
        if (kind === 'sms') f.db.prepare("UPDATE message SET service = 'SMS' WHERE ROWID = ?").run(m.rowid);
      }
    });
  });
  after(async () => { await h.close(); });
  const get = (path: string) => http(h.url + path, { headers: bearer(h.tokens.read) }).then((r) => { assert.equal(r.status, 200, r.body); return r.json(); });

  it('a chat reports its messages\' service, in the list, its page and search, and keeps the raw guid', async () => {
    const list = (await get('/v1/chats')).chats as { guid: string; service: string }[];
    const by = (g: string) => list.find((c) => c.guid === g)!;
    assert.equal(by(guids.sms).service, 'SMS');
    assert.equal(by(guids.imsg).service, 'iMessage');
    assert.equal(by(guids.empty).service, 'any', 'nothing to derive it from: the raw value');
    const page = await get(`/v1/chats/${encodeURIComponent(guids.sms)}/messages`);
    assert.equal(page.chat.guid, guids.sms);
    assert.equal(page.chat.service, 'SMS');
    assert.equal(page.messages[0].service, page.chat.service, 'chat and message agree');
    // The search index fills in the background after start: search once it has.
    await waitFor('the search backfill to finish', () => h.logLines.some((l) => l.includes('"search index up to date"')));
    const hits = (await get('/v1/search?q=hello')).results as { chat: { guid: string; service: string }; message: { service: string } }[];
    assert.ok(hits.length >= 2);
    for (const hit of hits) assert.equal(hit.chat.service, hit.message.service, hit.chat.guid);
  });
});
