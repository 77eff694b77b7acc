import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { pino } from 'pino';
import type { AddressInfo } from 'node:net';
import { apiSection } from '../../src/config/sections/api.ts';
import { checkBind, startApi, ApiStartError } from '../../src/api/index.ts';
import { verifySignature } from '../../src/api/webhooks/sign.ts';
import { bearer, http, readerFor, startHarness, waitFor, type Harness } from './support/harness.ts';
import { apiKit } from '../../src/core/kit/api.ts';

describe('api meta: openapi, metrics, bind safety, webhooks', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.close(); });

  it('serves Prometheus metrics to a read token: queue depths, latency histogram, errors', async () => {
    await http(`${h.url}/v1/messages/none`, { headers: bearer(h.tokens.read) });
    const res = await http(`${h.url}/metrics`, { headers: bearer(h.tokens.read) });
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] as string, /text\/plain/);
    for (const name of ['imb_webhook_queue_depth', 'imb_outbox_queue_depth', 'imb_relay_latency_seconds_bucket{le="+Inf"}', 'imb_api_errors_total{code="unknown_message"} 1', 'imb_live_clients']) {
      assert.ok(res.body.includes(name), name);
    }
  });

  it('refuses a non-loopback bind unless allow_remote, and then warns', async () => {
    const lines: string[] = [];
    const log = pino({}, { write: (s: string) => { lines.push(s); } });
    assert.throws(() => checkBind(apiSection.parse({ host: '0.0.0.0' }), log), ApiStartError);
    await assert.rejects(startApi({ config: apiSection.parse({ host: '192.168.1.5', port: 0 }), chatDbPath: h.chatdb.path, home: h.chatdb.home, kit: apiKit(h.bridgeDb), gateway: h.gateway, log }), /Refusing to bind/);
    assert.doesNotThrow(() => checkBind(apiSection.parse({ host: '127.0.0.1' }), log));
    assert.equal(lines.length, 0);
    checkBind(apiSection.parse({ host: '0.0.0.0', allow_remote: true }), log);
    assert.match(lines.join(''), /non-loopback/);
  });

  it('POSTs every event to webhooks with a valid signature, retrying from the persisted queue across a restart', async () => {
    const received: { body: string; sig: string | undefined; ts: string | undefined }[] = [];
    let failuresLeft = 2;
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        if (failuresLeft > 0) { failuresLeft--; res.writeHead(503).end(); return; }
        received.push({ body, sig: req.headers['x-imb-signature'] as string, ts: req.headers['x-imb-timestamp'] as string });
        res.writeHead(204).end();
      });
    }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const secret = 'a-very-secret-webhook-key';
    const w = await startHarness({ webhooks: [{ url, secret }], webhook_backoff_ms: 50, webhook_backoff_max_ms: 200 }, (f) => { f.addChat(['+15550000001']); });
    try {
      const chat = { rowid: 1 };
      w.gateway.feed(readerFor(w), 0);
      w.chatdb.addMessage(chat, 'hook one');
      await waitFor('queued', () => (w.bridgeDb.prepare('SELECT count(*) FROM webhook_queue').pluck().get() as number) > 0);
      // Stop before it can succeed; the queue row (and the cursor) survive.
      w.gateway.stopFeed();
      await w.api.stop();
      w.chatdb.addMessage(chat, 'hook two (while down)');
      await w.restart();
      await waitFor('two deliveries', () => received.length >= 2, 20_000);
      const texts = received.map((r) => JSON.parse(r.body).message.text);
      assert.deepEqual(texts, ['hook one', 'hook two (while down)']);
      for (const r of received) {
        assert.ok(verifySignature(secret, r.body, r.sig, r.ts), 'signature verifies over timestamp + raw body');
        assert.ok(!verifySignature('wrong-secret-xxxxxxxx', r.body, r.sig, r.ts));
        assert.ok(!verifySignature(secret, r.body, r.sig, String(Number(r.ts) + 1)), 'the timestamp is signed: a changed one fails');
        assert.ok(!verifySignature(secret, r.body, r.sig, r.ts, { now: Number(r.ts) + 10 * 60_000 }), 'a stale timestamp fails');
      }
      await waitFor('queue drained', () => w.bridgeDb.prepare('SELECT count(*) FROM webhook_queue').pluck().get() === 0);
    } finally {
      await w.close();
      server.close();
    }
  });
});
