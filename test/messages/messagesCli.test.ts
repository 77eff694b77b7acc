// test-tier: story
// `messages` as a user runs it: --chat by name or by a number typed any common
// way, an unknown chat as an error, --limit as the newest n in date order, and
// --json as the contract (issue 13's CLI items, issue 15's JSON line).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { ChatDb } from '../../src/imessage/db/index.ts';
import { messageToJson } from '../../src/imessage/json.ts';
import { FixtureDb, tempDir } from '../imessage/fixture.ts';
import { ALICE, CAROL, writeScenario, type Scenario } from '../imessage/scenario.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');
function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, LOG_LEVEL: 'warn' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
type Line = Record<string, unknown> & { rowid: number; chat_guid: string | null };
const lines = (s: string): Line[] => (s.trim() === '' ? [] : s.trim().split('\n').map((l) => JSON.parse(l) as Line));

function fixture(t: Parameters<typeof tempDir>[0]): { path: string; s: Scenario; aliceSms: string } {
  const fx = new FixtureDb(join(tempDir(t), 'chat.db'), 'sequoia');
  const s = writeScenario(fx);
  // Alice also texts over SMS: her number names both of her 1:1 chats.
  const aliceSms = `SMS;-;${ALICE}`;
  const handle = fx.handle(ALICE, 'SMS');
  const chat = fx.chat(aliceSms, { handles: [handle], service: 'SMS' });
  fx.message({ guid: 'SMS-FROM-ALICE', text: 'over sms', handle_id: handle, dateMs: Date.UTC(2024, 0, 3), chatId: chat, service: 'SMS' });
  fx.close();
  return { path: fx.path, s, aliceSms };
}

test('messages --json prints exactly the contract of every message, in ROWID order', (t) => {
  const { path } = fixture(t);
  const r = run(['messages', '--db', path, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const db = ChatDb.open(path);
  const expected = [...db.iterateMessages()].map((m) => JSON.stringify(messageToJson(m)));
  db.close();
  assert.deepEqual(r.stdout.trimEnd().split('\n'), expected);
});

test('--chat takes a group name or a number in any common form; an unknown chat is an error', (t) => {
  const { path, s, aliceSms } = fixture(t);
  const chatsOf = (arg: string): Set<string | null> => {
    const r = run(['messages', '--db', path, '--json', '--chat', arg]);
    assert.equal(r.code, 0, `${arg}: ${r.stderr}`);
    const got = lines(r.stdout);
    assert.ok(got.length > 0, arg);
    const rowids = got.map((m) => m.rowid);
    assert.deepEqual(rowids, [...rowids].sort((a, b) => a - b), `${arg}: ROWID order`);
    return new Set(got.map((m) => m.chat_guid));
  };
  for (const name of ['Hikers', 'hikers', '  HIKERS ']) assert.deepEqual(chatsOf(name), new Set([s.chats.group]), name);
  for (const number of [ALICE, '+1 (555) 123-0001', '(555) 123-0001', '555.123.0001', '5551230001', '1-555-123-0001', '001 555 123 0001', 'tel:+15551230001']) {
    assert.deepEqual(chatsOf(number), new Set([s.chats.one, aliceSms]), number);
  }
  assert.deepEqual(chatsOf('+1 555 123 0003'), new Set([s.chats.sms]));
  assert.deepEqual(chatsOf(CAROL), new Set([s.chats.sms]));
  assert.deepEqual(chatsOf(s.chats.one), new Set([s.chats.one]), 'a chat guid names that chat only');

  for (const unknown of ['Nobody', '+44 7700 900123', 'bob@example.com', '1230001']) {
    const r = run(['messages', '--db', path, '--chat', unknown]);
    assert.notEqual(r.code, 0, `${unknown} exits non-zero`);
    assert.equal(r.stdout, '', unknown);
    assert.match(r.stderr, /^error: No chat in chat\.db matches "/, unknown);
    assert.match(r.stderr, /imessage-bridge chats/, 'advice names the command that lists chats');
  }
});

test('--limit n prints the newest n messages, oldest first', (t) => {
  const { path, s } = fixture(t);
  const all = lines(run(['messages', '--db', path, '--json']).stdout);
  const newest = (n: number): number[] => lines(run(['messages', '--db', path, '--json', '--limit', String(n)]).stdout).map((m) => m.rowid);
  assert.deepEqual(newest(3), all.slice(-3).map((m) => m.rowid));
  assert.deepEqual(newest(1), [all.at(-1)!.rowid]);
  assert.deepEqual(newest(0), []);
  assert.deepEqual(newest(10_000), all.map((m) => m.rowid));

  const group = all.filter((m) => m.chat_guid === s.chats.group).map((m) => m.rowid);
  const r = run(['messages', '--db', path, '--json', '--chat', 'Hikers', '--limit', '2']);
  assert.deepEqual(lines(r.stdout).map((m) => m.rowid), group.slice(-2));
  // With --since-rowid, the newest n of those after it.
  const after = lines(run(['messages', '--db', path, '--json', '--since-rowid', String(all[2]!.rowid), '--limit', '100']).stdout);
  assert.deepEqual(after.map((m) => m.rowid), all.slice(3).map((m) => m.rowid));
  // Human output too: the last line is the newest message.
  const human = run(['messages', '--db', path, '--limit', '2']).stdout.trimEnd().split('\n');
  assert.match(human.at(-1)!, /over sms/);
});
