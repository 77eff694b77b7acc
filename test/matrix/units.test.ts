// Pure pieces of the Matrix connector: no homeserver needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { htmlToText, linkify, plainTextOf, stripReplyFallback } from '../../src/connectors/matrix/html.ts';
import { ghostSuffix, handleFromSuffix, txnIdFor } from '../../src/connectors/matrix/ids.ts';
import { imageSize, msgtypeFor } from '../../src/connectors/matrix/media.ts';
import { normalizeHandle, parseNew } from '../../src/connectors/matrix/commands.ts';
import { loadRegistration, writeRegistration } from '../../src/connectors/matrix/registration.ts';
import { e2eeAvailable } from '../../src/connectors/matrix/e2ee.ts';
import { matrixSection } from '../../src/config/sections/matrix.ts';
import { MatrixConfigError } from '../../src/connectors/matrix/errors.ts';
import { tinyPng } from './helpers.ts';

test('links become clickable and text is escaped', () => {
  assert.equal(linkify('a <b> www.x.org/p, and https://y.io/q?a=1&b=2.'), 'a &lt;b&gt; <a href="https://www.x.org/p">www.x.org/p</a>, and <a href="https://y.io/q?a=1&amp;b=2">https://y.io/q?a=1&amp;b=2</a>.');
});

test('formatted bodies become plain text; reply fallbacks are stripped', () => {
  assert.equal(htmlToText('<mx-reply><blockquote>old</blockquote></mx-reply><p>Hi &amp; <b>bye</b></p><ul><li>one</li></ul>'), 'Hi & bye\n• one');
  assert.equal(htmlToText('<a href="https://matrix.to/#/@bob:x">Bob</a>: see <a href="https://e.com">https://e.com</a>'), 'Bob: see https://e.com');
  assert.equal(stripReplyFallback('> <@a:b> quoted\n> more\n\nanswer'), 'answer');
  assert.equal(stripReplyFallback('no quote'), 'no quote');
  assert.equal(plainTextOf({ body: '> <@a:b> q\n\nreal' }), 'real');
});

test('ghost localparts are valid and reversible; txn ids are stable per key and part', () => {
  for (const h of ['+15551234567', 'Alice_Smith@Example.com', 'ünï@x.de']) {
    const s = ghostSuffix(h);
    assert.match(s, /^[a-z0-9._=\-/]+$/);
    assert.equal(handleFromSuffix(s), h);
  }
  assert.equal(txnIdFor('msg:G1', 0), txnIdFor('msg:G1', 0));
  assert.notEqual(txnIdFor('msg:G1', 0), txnIdFor('msg:G1', 1));
});

test('media kinds and cheap image sizes', () => {
  assert.deepEqual(imageSize(tinyPng()), { w: 3, h: 2 });
  assert.equal(imageSize(Buffer.from('not an image')), null);
  assert.deepEqual(['image/heic', 'video/mp4', 'audio/mp4', 'application/pdf'].map(msgtypeFor), ['m.image', 'm.video', 'm.audio', 'm.file']);
});

test('!imessage new parses phone numbers with spaces and emails', () => {
  assert.deepEqual(parseNew('!imessage new +1 (555) 123-4567 Hi there'), { handle: '+15551234567', text: 'Hi there' });
  assert.deepEqual(parseNew('!imessage new Bob@Example.com hey'), { handle: 'bob@example.com', text: 'hey' });
  assert.equal(parseNew('!imessage new nothing').handle, null);
  assert.equal(normalizeHandle('hello'), null);
});

test('registration YAML: one exclusive user namespace, no rate limit, tokens kept across runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mx-reg-'));
  try {
    const cfg = matrixSection.parse({ homeserver_url: 'http://hs', homeserver_name: 'example.org', mode: 'appservice', owners: ['@me:example.org'], appservice: { registration: join(dir, 'r.yaml') } });
    const first = writeRegistration(cfg);
    const onDisk = parse(readFileSync(join(dir, 'r.yaml'), 'utf8')) as typeof first;
    assert.deepEqual(onDisk.namespaces.users, [{ exclusive: true, regex: '@_imessage_.*:example\\.org' }]);
    assert.equal(onDisk.rate_limited, false);
    assert.equal(onDisk.sender_localpart, 'imessagebot');
    assert.equal(onDisk.url, 'http://127.0.0.1:29330');
    assert.match(onDisk.as_token, /^[0-9a-f]{64}$/);
    const second = writeRegistration(cfg);
    assert.equal(second.as_token, first.as_token);
    assert.equal(second.hs_token, first.hs_token);
    assert.equal(loadRegistration(cfg).hs_token, first.hs_token);
    const missing = matrixSection.parse({ ...cfg, appservice: { ...cfg.appservice, registration: join(dir, 'none.yaml') } });
    assert.throws(() => loadRegistration(missing), (e: unknown) => e instanceof MatrixConfigError && /matrix registration/.test(e.advice));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the crypto stub is detected (E2EE off here)', () => {
  assert.equal(e2eeAvailable(), false);
});
