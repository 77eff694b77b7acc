import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readerFor, startHarness, waitFor, type Harness } from './support/harness.ts';
import { updates } from './support/updates.ts';

describe('webhooks get updates (edit, unsend, delivery) exactly once across restarts', () => {
  let h: Harness;
  let hooks: Server;
  const posted: { type: string; key: string }[] = [];
  let chat: { rowid: number; guid: string };
  before(async () => {
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { const j = JSON.parse(body); posted.push({ type: j.type, key: j.key }); res.writeHead(204).end(); });
    }).listen(0, '127.0.0.1');
    await new Promise((r) => hooks.once('listening', r));
    const url = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
    h = await startHarness({ webhooks: [{ url, secret: 'a-very-secret-webhook-key' }], webhook_backoff_ms: 50 },
      (f) => { chat = f.addChat(['+15550000001']); }, { eventLog: true });
    h.gateway.feed(readerFor(h), 0);
  });
  after(async () => { await h.close(); hooks.close(); });

  const seqCursor = () => Number(h.bridgeDb.prepare("SELECT value FROM api_state WHERE key = 'webhook_seq'").pluck().get());
  const keysOf = (type: string) => posted.filter((p) => p.type === type).map((p) => p.key);

  it('an update while up is POSTed once; updates while down are POSTed after the restart; none twice', async () => {
    const x = h.chatdb.addMessage(chat, 'X', { fromMe: true });
    await waitFor('X posted', () => posted.length >= 1);
    const u = updates(h, x.rowid);
    const delivered = u.status('delivered')!;
    await waitFor('delivered posted', () => keysOf('delivery').length >= 1);
    await waitFor('seq cursor moved', () => seqCursor() >= delivered.seq);

    h.gateway.stopFeed();
    const feedFrom = h.gateway.handled;
    await h.api.stop();
    // The core logs these while the API is down (or before it subscribes on start).
    const edit = u.edit('X edited')!;
    const unsend = u.unsend()!;
    await h.restart();
    h.gateway.feed(readerFor(h), feedFrom);
    await waitFor('edit and unsend posted', () => keysOf('edit').length >= 1 && keysOf('unsend').length >= 1);
    await waitFor('seq cursor moved', () => seqCursor() >= unsend.seq);

    // Another restart with nothing new: nothing is POSTed again.
    await h.restart();
    const read = u.status('read')!;
    await waitFor('read posted', () => keysOf('delivery').length >= 2);
    await waitFor('seq cursor moved', () => seqCursor() >= read.seq);
    // Sentinel instead of a sleep: webhooks are POSTed in seq order, so a re-POST would come before a new message's.
    const before = posted.length;
    h.chatdb.addMessage(chat, 'sentinel');
    await waitFor('the sentinel message posted', () => posted.slice(before).some((p) => !['delivery', 'edit', 'unsend'].includes(p.type)));
    assert.deepEqual(keysOf('delivery'), [delivered.key, read.key]);
    assert.deepEqual(keysOf('edit'), [edit.key]);
    assert.deepEqual(keysOf('unsend'), [unsend.key]);
  });
});
