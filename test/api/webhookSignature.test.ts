// Webhooks are signed the Standard Webhooks way: an independent verifier
// (the `standardwebhooks` package) accepts them, for `whsec_` and raw
// secrets; a retry keeps its webhook-id; the deprecated X-IMB headers stay.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { verifySignature } from '../../src/api/webhooks/sign.ts';
import { readerFor, startHarness, waitFor } from './support/harness.ts';

async function deliveries(secret: string, failFirst: number): Promise<{ body: string; headers: IncomingHttpHeaders }[]> {
  const got: { body: string; headers: IncomingHttpHeaders }[] = [];
  let failuresLeft = failFirst;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      got.push({ body, headers: req.headers });
      if (failuresLeft-- > 0) { res.writeHead(500).end(); return; }
      res.writeHead(204).end();
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const h = await startHarness({ webhooks: [{ url, secret }], webhook_backoff_ms: 20, webhook_backoff_max_ms: 50 }, (f) => { f.addChat(['+15550000001']); });
  try {
    h.gateway.feed(readerFor(h), 0);
    h.chatdb.addMessage({ rowid: 1 }, 'signed hello');
    await waitFor('a delivery accepted', () => got.length > failFirst);
    return got;
  } finally {
    await h.close();
    server.close();
  }
}

describe('Standard Webhooks signatures', () => {
  it('verify with the standardwebhooks library for a whsec_ secret; a retry keeps its id', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const got = await deliveries(secret, 1);
    assert.equal(got.length, 2);
    const [first, retry] = got as [typeof got[0], typeof got[0]];
    assert.match(String(first.headers['webhook-id']), /^msg_\d+$/);
    assert.equal(retry.headers['webhook-id'], first.headers['webhook-id'], 'same id on retry');
    assert.match(String(retry.headers['webhook-timestamp']), /^\d{10}$/, 'epoch seconds');
    assert.match(String(retry.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
    const wh = new Webhook(secret);
    const payload = wh.verify(retry.body, retry.headers as Record<string, string>) as { message: { text: string } };
    assert.equal(payload.message.text, 'signed hello');
    assert.throws(() => wh.verify(retry.body.replace('hello', 'HELLO'), retry.headers as Record<string, string>), 'a changed body fails');
    assert.throws(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(retry.body, retry.headers as Record<string, string>), 'another secret fails');
  });

  it('verify in the libraries\' raw format for a plain secret, and keep the deprecated X-IMB headers', async () => {
    const secret = 'a-plain-old-secret-string';
    const [d] = await deliveries(secret, 0) as [{ body: string; headers: IncomingHttpHeaders }];
    new Webhook(secret, { format: 'raw' }).verify(d.body, d.headers as Record<string, string>);
    assert.ok(verifySignature(secret, d.body, d.headers['x-imb-signature'] as string, d.headers['x-imb-timestamp'] as string), 'deprecated header still verifies');
  });
});
