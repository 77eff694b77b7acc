// The `chats` and `messages` commands, run as a user would run them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixtureDb, tempDir } from './fixture.ts';
import { ALICE, TRICKY, writeScenario } from './scenario.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');
function run(args: string[], cwd?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, ...(cwd && { cwd }), env: { ...process.env, LOG_LEVEL: 'warn' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lines = (s: string): Record<string, unknown>[] => s.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

const MESSAGE_KEYS = ['rowid', 'guid', 'chat_guid', 'from_me', 'sender', 'service', 'date', 'text', 'attachments', 'reaction', 'reply_to', 'edited_at', 'edits', 'unsent', 'event', 'error'];
const CHAT_KEYS = ['guid', 'service', 'display_name', 'is_group', 'participants', 'last_message_at'];

test('chats and messages --json print one contract object per line', (t) => {
  const dir = tempDir(t);
  const fx = new FixtureDb(join(dir, 'chat.db'), 'sequoia');
  const s = writeScenario(fx);
  fx.close();

  const chats = run(['chats', '--db', fx.path, '--json']);
  assert.equal(chats.code, 0, chats.stderr);
  const cl = lines(chats.stdout);
  assert.equal(cl.length, 3);
  for (const c of cl) for (const k of CHAT_KEYS) assert.ok(k in c, `chat key ${k}`);
  assert.equal(cl[0]!.guid, s.chats.group, 'most recent first');
  assert.deepEqual(cl[0]!.participants, [ALICE, 'bob@example.com']);
  assert.equal(cl[0]!.last_message_at, '2024-01-02T10:34:00.000Z');

  const msgs = run(['messages', '--db', fx.path, '--json']);
  assert.equal(msgs.code, 0, msgs.stderr);
  const ml = lines(msgs.stdout);
  assert.equal(ml.length, Object.keys(s.guids).length);
  for (const m of ml) for (const k of MESSAGE_KEYS) assert.ok(k in m, `message key ${k}`);
  const plain = ml.find((m) => m.guid === s.guids.plain)!;
  assert.equal(plain.text, TRICKY);
  assert.equal(plain.date, '2024-01-02T10:00:00.000Z');
  const love = ml.find((m) => m.guid === s.guids.love)!;
  assert.deepEqual(love.reaction, { type: 'love', emoji: '❤️', target_guid: s.guids.plain, target_part: 0, removed: false });
  assert.deepEqual(ml.find((m) => m.guid === s.guids.edited)!.edits, ['First message  ', 'Edit 1', 'Edit 2']);
  assert.deepEqual(ml.find((m) => m.guid === s.guids.added)!.event, { type: 'member_added', handle: '+15551230003', actor: 'me' });

  const some = lines(run(['messages', '--db', fx.path, '--json', '--chat', s.chats.group, '--since-rowid', '3', '--limit', '2']).stdout);
  assert.deepEqual(some.map((m) => m.chat_guid), [s.chats.group, s.chats.group]);
  assert.ok(some.every((m) => (m.rowid as number) > 3));

  // Human-readable: date, sender, text and markers.
  const human = run(['messages', '--db', fx.path, '--chat', ALICE]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /2024-01-02 10:00:00 {2}\+15551230001 +He\u0301llo/);
  assert.match(human.stdout, /\[love ❤️ → /);
  assert.match(human.stdout, /\[attachment notes\.png\]/);
  assert.match(human.stdout, /\[edited, was "Edit 2"\]/);
  const humanChats = run(['chats', '--db', fx.path]);
  assert.match(humanChats.stdout, /group iMessage +Hikers/);

  // The path can come from the config file.
  const cfg = join(dir, 'config.yaml');
  writeFileSync(cfg, `imessage:\n  chat_db: ${fx.path}\n`);
  assert.equal(lines(run(['chats', '--config', cfg, '--json']).stdout).length, 3);
});

test('bad input: one clear sentence on stderr and a non-zero exit', (t) => {
  const dir = tempDir(t);
  const missing = run(['messages', '--db', join(dir, 'none.db')]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /^error: No chat database at .*none\.db\.\n/);
  assert.doesNotMatch(missing.stderr, /at .*\.ts:\d+/, 'no stack trace');
  const text = join(dir, 'x.txt');
  writeFileSync(text, 'just some text, not a database at all');
  const notDb = run(['chats', '--db', text, '--json']);
  assert.notEqual(notDb.code, 0);
  assert.match(notDb.stderr, /not a SQLite database/);
  assert.equal(notDb.stdout, '');
  const badLimit = run(['messages', '--db', text, '--limit', 'ten']);
  assert.notEqual(badLimit.code, 0);
  assert.match(badLimit.stderr, /whole number/);
});

test('run with bridge.database pointing at a file that is not a database names that file', (t) => {
  const dir = tempDir(t);
  const fx = new FixtureDb(join(dir, 'chat.db'), 'sequoia');
  writeScenario(fx);
  fx.close();
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'shopping list: milk, eggs, and more than a page of text '.repeat(200));
  const cfg = join(dir, 'config.yaml');
  writeFileSync(cfg, `imessage:\n  chat_db: ${fx.path}\nbridge:\n  database: ${notes}\n`);
  const r = run(['run', '--config', cfg]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /^error: The bridge database .*notes\.txt \(bridge\.database\) is not a SQLite database/m);
  assert.match(r.stderr, /Point bridge\.database at/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
});

test('watch on a chat.db without message.guid stops at once with one clear sentence', (t) => {
  const dir = tempDir(t);
  const fx = new FixtureDb(join(dir, 'chat.db'), 'sequoia');
  writeScenario(fx);
  fx.db.exec('ALTER TABLE message RENAME COLUMN guid TO guid_gone');
  fx.close();
  const r = run(['watch', '--db', fx.path]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /^error: .*chat\.db has a message table without its guid column/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
});
