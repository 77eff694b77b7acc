import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, scrubSecrets } from '../../src/log.ts';

function capture() {
  const lines: string[] = [];
  const log = createLogger('info', new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }));
  return { log, text: () => lines.join('') };
}

test('tokens in known keys are redacted', () => {
  const { log, text } = capture();
  log.info({ token: 'imb_SECRET1', headers: { authorization: 'Bearer SECRET2' }, matrix: { access_token: 'SECRET3', as_token: 'SECRET4' } }, 'cfg');
  assert.doesNotMatch(text(), /SECRET\d/);
  assert.match(text(), /\[redacted\]/);
});

test('errors lose webhook and interaction tokens from their URLs, and their request bodies', () => {
  const { log, text } = capture();
  const err = Object.assign(new Error('Unknown Webhook at https://discord.com/api/v10/webhooks/123456789012345678/WEBHOOKTOKEN?wait=true'), {
    url: 'https://discord.com/api/v10/webhooks/123456789012345678/WEBHOOKTOKEN?wait=true',
    requestBody: { json: { content: 'private message text' } },
    method: 'POST', status: 404,
  });
  log.error({ err }, 'delivery failed');
  const interaction = Object.assign(new Error('x'), { url: 'http://127.0.0.1/api/v10/interactions/123456789012345678/aW50ZXJhY3Rpb25Ub2tlbg/callback' });
  log.warn({ err: interaction }, 'reply failed');
  const out = text();
  assert.doesNotMatch(out, /WEBHOOKTOKEN|private message text|aW50ZXJhY3Rpb25Ub2tlbg/);
  assert.match(out, /webhooks\/123456789012345678\/\[redacted\]/);
  assert.match(out, /"status":404/);
});

test('scrubSecrets handles bearer values and query tokens', () => {
  assert.equal(scrubSecrets('GET /x?access_token=abc&y=1'), 'GET /x?access_token=[redacted]&y=1');
  assert.equal(scrubSecrets('Authorization: Bearer imb_abcdefghijkl'), 'Authorization: Bearer [redacted]');
});
