import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, scrubSecrets, terminalLogger } from '../../src/log.ts';

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

test('anything shaped like an API token is redacted wherever it appears, whatever the key', () => {
  const { log, text } = capture();
  const token = `imb_${'A1b2-C3d_'.repeat(5).slice(0, 43)}`;
  assert.equal(token.length, 47);
  log.debug({ url: `/v1/chats?bearer=${token}` }, 'not at info');
  log.info({ url: `/v1/chats?bearer=${token}&authorization=Bearer%20${token}` }, 'request');
  log.info({ req: { query: { whatever: token } }, list: [`x${token}y`] }, `in the message ${token}`);
  log.warn({ err: new Error(`failed for ${token}`) }, 'error text');
  log.info({ [token]: 1 }, 'as a key');
  const out = text();
  assert.equal(out.split('\n').filter(Boolean).length, 4);
  assert.doesNotMatch(out, /imb_[A-Za-z0-9_-]{20}/, 'no token survives');
  assert.equal(out.match(/imb_\[redacted\]/g)?.length, 8, 'the error counts twice: message and stack');
  assert.match(out, /bearer=imb_\[redacted\]&authorization=Bearer%20imb_\[redacted\]/);
});

test('metric names and other short imb_ words are left alone', () => {
  const { log, text } = capture();
  log.info({ metric: 'imb_webhook_queue_depth' }, 'imb_api_requests_total');
  assert.match(text(), /imb_webhook_queue_depth.*imb_api_requests_total/);
  assert.equal(scrubSecrets(`token imb_${'x'.repeat(43)}`), 'token imb_[redacted]');
});

test('terminalLogger: readable single lines with a local time on a TTY, JSON otherwise; tokens redacted either way', () => {
  const token = `imb_${'z'.repeat(43)}`;
  const sink = (isTTY: boolean) => {
    const lines: string[] = [];
    const stream = Object.assign(new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }), { isTTY });
    return { stream, text: () => lines.join('') };
  };
  const saved = { format: process.env.LOG_FORMAT, color: process.env.NO_COLOR };
  delete process.env.LOG_FORMAT;
  process.env.NO_COLOR = '1';
  try {
    const tty = sink(true);
    terminalLogger('info', tty.stream).info({ url: `http://x/?t=${token}` }, 'API listening');
    assert.match(tty.text(), /^\[\d\d:\d\d:\d\d\] INFO: API listening \{"url":"http:\/\/x\/\?t=imb_\[redacted\]"\}\n$/);
    const pipe = sink(false);
    terminalLogger('info', pipe.stream).info({ url: token }, 'API listening');
    const line = JSON.parse(pipe.text()) as { msg: string; url: string; time: number };
    assert.equal(line.msg, 'API listening');
    assert.equal(line.url, 'imb_[redacted]');
  } finally {
    if (saved.format === undefined) delete process.env.LOG_FORMAT; else process.env.LOG_FORMAT = saved.format;
    if (saved.color === undefined) delete process.env.NO_COLOR; else process.env.NO_COLOR = saved.color;
  }
});
