// `imessage-bridge send` as a person uses it, against the simulated Messages
// and the fake osascript: bad recipients and texts are refused at once (exit
// 2, osascript never runs), a long text read from stdin arrives as several
// messages in order. (A lone surrogate can't reach
// the CLI: argv and stdin are UTF-8. The sender's own test covers it.)
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatDb } from '../../src/imessage/db/index.ts';
import { SEND_PART_BYTES } from '../../src/imessage/send/index.ts';
import { fakeOsascriptEnv, readInvocations } from '../../src/sim/fakeOsascript/index.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');

function setup(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'imb-send-cli-'));
  const sim = MessagesSimulator.create({ dir: join(dir, 'sim') });
  t.after(() => { sim.close({ pending: 'drop' }); rmSync(dir, { recursive: true, force: true }); });
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const env = { ...fakeOsascriptEnv(sim.dir, { FAKE_OSASCRIPT_FLIP_MS: '100' }), LOG_LEVEL: 'error' };
  const send = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, 'send', ...args, '--db', sim.dbPath], { env, cwd: dir, encoding: 'utf8', timeout: 120_000, ...(input !== undefined ? { input } : {}) });
  return { sim, chat, send };
}

/** The texts of the printed guids as the bridge reads them back (modern chat.db keeps them in attributedBody). */
function sentTexts(sim: MessagesSimulator, guids: string[]): string[] {
  const db = ChatDb.open(sim.dbPath);
  try {
    return guids.map((g) => { const m = db.messageByGuid(g); return m?.fromMe ? m.text : '<missing>'; });
  } finally { db.close(); }
}

test('bad recipients and empty texts are refused at once with exit 2, and osascript never runs', (t) => {
  const { sim, send } = setup(t);
  const cases: [string, string, RegExp][] = [
    ['', 'hi', /the recipient is empty/],
    ['   ', 'hi', /the recipient is empty/],
    ['+1555\n1230001', 'hi', /is not a phone number, an email address or a chat guid/],
    [';;;', 'hi', /";;;" is not a phone number/],
    ['x'.repeat(10 * 1024), 'hi', /\(10240 characters\) is too long/],
    ['../../etc/passwd', 'hi', /"\.\.\/\.\.\/etc\/passwd" is not a phone number/],
    ['555 123 0001', 'hi', /not in international form/],
    ['iMessage;+;chat404', 'hi', /no group chat "iMessage;\+;chat404" in chat\.db/],
    ['+15551230001', '  ', /the text holds nothing to send/],
  ];
  for (const [target, text, message] of cases) {
    const r = send([target, text]);
    assert.equal(r.status, 2, `${JSON.stringify(target.slice(0, 20))}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /^error: /m);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    assert.equal(r.stdout, '');
  }
  assert.equal(readInvocations(sim.dir).length, 0, 'nothing reached osascript');
});

test('a text longer than one osascript run can carry, read from stdin, arrives as several messages in order', (t) => {
  const { sim, chat, send } = setup(t);
  const paragraph = (n: number) => `${`paragraph ${n} `.repeat(7_000).trim()}\n\n`;
  const text = [1, 2, 3].map(paragraph).join(''); // about 250 kB, more than argv could carry
  assert.ok(Buffer.byteLength(text) > 2 * SEND_PART_BYTES);
  const r = send([chat.guid, '-'], text);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /sent as 3 messages, in order/);
  const guids = r.stdout.trim().split('\n');
  assert.equal(guids.length, 3);
  const texts = sentTexts(sim, guids);
  assert.ok(texts.join('') === text, `nothing lost or added, in order (got ${texts.map((x) => x.length).join('+')} characters of ${text.length})`);
  for (const part of texts) assert.ok(Buffer.byteLength(part) <= SEND_PART_BYTES);
  assert.ok(texts[0]!.endsWith('\n\n'), 'cut at a paragraph break');
});
