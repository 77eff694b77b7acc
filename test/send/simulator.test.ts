// The whole path against the real Messages simulator: sender → fake osascript →
// simulated chat.db, read back from the database itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AppleScriptSender, SCRIPTS } from '../../src/imessage/send/index.ts';
import { MessagesSimulator, type MacosVersion, type SimChat as SimulatorChat } from '../../src/sim/simulator.ts';
import { storedText } from '../../src/sim/body.ts';
import { fakeOsascriptEnv, readInvocations, setFakeOsascriptMode, UNREADABLE_ATTACHMENT_ERROR } from '../../src/sim/fakeOsascript/index.ts';
import type { SimPort } from '../../src/sim/fakeOsascript/execute.ts';
import { waitFor } from './support.ts';

// The fake drives the simulator through SimPort: the compiler checks they agree.
export const simulatorFitsSimPort = (s: MessagesSimulator): SimPort<SimulatorChat> => s;

interface Row { rowid: number; text: string | null; attributedBody: Buffer | null; is_from_me: number; error: number; chat: string | null; transfer: string | null }

function setup(t: { after(fn: () => unknown): void }, version: MacosVersion, flipMs = 30) {
  const base = mkdtempSync(join(tmpdir(), 'sendsim-'));
  const dir = join(base, 'sim');
  const allowed = join(base, 'allowed');
  mkdirSync(allowed);
  const sim = MessagesSimulator.create({ dir, version });
  const one = sim.addChat({ participants: ['+15551234567'] });
  const group = sim.addChat({ participants: ['+15551234567', 'friend@example.com'], displayName: 'Pals' });
  const { home, dbPath } = sim;
  sim.close();
  const sender = new AppleScriptSender({
    home, timeoutMs: 20_000, allowedFileDirs: [allowed], maxFileBytes: 1 << 20, retryDelayMs: 20,
    env: fakeOsascriptEnv(dir, { FAKE_OSASCRIPT_FLIP_MS: String(flipMs) }),
  });
  const db = new Database(dbPath, { readonly: true });
  t.after(async () => { await sender.dispose(); db.close(); rmSync(base, { recursive: true, force: true }); });
  const rows = (): Row[] => db.prepare(`SELECT m.ROWID AS rowid, m.text, m.attributedBody, m.is_from_me, m.error,
      (SELECT c.guid FROM chat_message_join j JOIN chat c ON c.ROWID = j.chat_id WHERE j.message_id = m.ROWID) AS chat,
      (SELECT a.transfer_name FROM message_attachment_join x JOIN attachment a ON a.ROWID = x.attachment_id WHERE x.message_id = m.ROWID) AS transfer
    FROM message m ORDER BY m.ROWID`).all() as Row[];
  return { base, dir, allowed, home, one, group, sender, rows };
}

test('hostile texts land in the simulated chat.db byte-exact, as sent rows of the right chat', async (t) => {
  const s = setup(t, 'sequoia');
  const marker = `/tmp/pwned-${randomUUID()}`;
  const texts = [
    'quote " and backslash \\ and \\"',
    'multi\nline\r\ncrlf\rcr',
    'u2028\u2028u2029\u2029',
    `" & (do shell script "touch ${marker}") & "`,
    '🙂'.repeat(25_600),
  ];
  for (const text of texts) {
    const res = await s.sender.send({ chatGuid: s.one.guid, isGroup: false, text });
    assert.deepEqual(res, { ok: true, strippedNul: false });
  }
  const nul = await s.sender.send({ chatGuid: s.group.guid, isGroup: true, text: 'N\0U\0L' });
  assert.deepEqual(nul, { ok: true, strippedNul: true });
  const rows = s.rows();
  assert.equal(rows.length, texts.length + 1);
  rows.forEach((r, i) => {
    assert.equal(storedText(r.text, r.attributedBody), texts[i] ?? 'NUL', `row ${i} byte-exact`);
    assert.equal(r.is_from_me, 1, 'flipped to is_from_me = 1 by the time osascript returned');
    assert.equal(r.error, 0);
    assert.equal(r.chat, i < texts.length ? s.one.guid : s.group.guid);
  });
  assert.ok(readInvocations(s.dir).every((i) => [...SCRIPTS.values()].includes(i.script)));
  assert.equal(existsSync(marker), false);
});

test('the sent row first appears with is_from_me = 0 and flips to 1', async (t) => {
  const s = setup(t, 'sequoia', 1500);
  const sending = s.sender.send({ chatGuid: s.one.guid, isGroup: false, text: 'flip me' });
  assert.ok(await waitFor(() => s.rows().length === 1), 'the row appears while osascript runs');
  assert.equal(s.rows()[0]?.is_from_me, 0, 'not yet flipped');
  assert.equal((await sending).ok, true);
  assert.equal(s.rows()[0]?.is_from_me, 1);
});

test('a file arrives as an attachment of the sent row; error and ghost modes show in chat.db', async (t) => {
  const s = setup(t, 'sequoia');
  writeFileSync(join(s.allowed, 'photo.jpg'), 'JPEG');
  const res = await s.sender.send({ chatGuid: s.group.guid, isGroup: true, filePath: join(s.allowed, 'photo.jpg') });
  assert.equal(res.ok, true);
  setFakeOsascriptMode(s.dir, 'error:22');
  assert.equal((await s.sender.send({ chatGuid: s.one.guid, isGroup: false, text: 'will fail' })).ok, true);
  setFakeOsascriptMode(s.dir, 'ghost');
  assert.equal((await s.sender.send({ chatGuid: s.one.guid, isGroup: false, text: 'ghost' })).ok, true);
  const [file, failed, ghost] = s.rows();
  assert.equal(file?.transfer, 'photo.jpg');
  assert.equal(file?.chat, s.group.guid);
  assert.equal(file?.error, 0);
  assert.equal(failed?.error, 22);
  assert.equal(ghost?.chat, null, 'a ghost row has no chat join');
  assert.equal(storedText(ghost?.text ?? null, ghost?.attributedBody ?? null), '');
});

test('a file outside ~/Library/Messages/Attachments "sends" but its row gets an error, as in Messages', async (t) => {
  const s = setup(t, 'sequoia');
  writeFileSync(join(s.base, 'tmpfile.txt'), 'T');
  const r = spawnSync('osascript', ['-', s.one.guid, join(s.base, 'tmpfile.txt')], { env: fakeOsascriptEnv(s.dir), input: SCRIPTS.get('chat/file/'), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const row = s.rows()[0];
  assert.equal(row?.error, UNREADABLE_ATTACHMENT_ERROR);
  assert.equal(row?.transfer, 'tmpfile.txt');
});

test('macOS 26: any; guids, the concrete-service fallback, and a new one-to-one chat through participant', async (t) => {
  const s = setup(t, 'tahoe');
  assert.match(s.one.guid, /^any;-;/);
  setFakeOsascriptMode(s.dir, 'any-unresolved');
  const res = await s.sender.send({ chatGuid: s.one.guid, isGroup: false, text: 'via iMessage form' });
  assert.equal(res.ok, true);
  assert.deepEqual(readInvocations(s.dir).map((i) => i.argv[0]), [s.one.guid, 'iMessage;-;+15551234567']);
  const fresh = await s.sender.send({ chatGuid: 'any;-;+15550001234', isGroup: false, text: 'hello stranger' });
  assert.equal(fresh.ok, true);
  const rows = s.rows();
  assert.deepEqual(rows.map((r) => [r.chat, storedText(r.text, r.attributedBody)]),
    [[s.one.guid, 'via iMessage form'], ['any;-;+15550001234', 'hello stranger']]);
  // A group is never reached through a participant, even when its chat id does not resolve.
  const g = await s.sender.send({ chatGuid: s.group.guid, isGroup: true, text: 'group' });
  assert.equal(g.ok, true, 'found through the iMessage service');
  assert.equal(s.rows().at(-1)?.chat, s.group.guid);
});
