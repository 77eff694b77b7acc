import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCRIPTS } from '../../src/imessage/send/index.ts';
import { readInvocations, setFakeOsascriptMode } from '../../src/sim/fakeOsascript/index.ts';
import { readRecorded, seedChats } from './recordingSim.ts';
import { rig, waitFor } from './support.ts';

const SIM_MODULE = fileURLToPath(new URL('./recordingSim.ts', import.meta.url));
const CHAT = 'iMessage;-;+15551234567';
const ALL_SCRIPTS = new Set(SCRIPTS.values());

function recordingRig(t: Parameters<typeof rig>[0], cleanupAfterMs = 60_000) {
  const r = rig(t, { cleanupAfterMs }, { FAKE_OSASCRIPT_SIM_MODULE: SIM_MODULE });
  seedChats(r.simDir, [CHAT, 'iMessage;+;chat42', 'any;-;+15557654321']);
  return r;
}

test('hostile and unusual texts arrive byte-exact and nothing in them runs', async (t) => {
  const r = recordingRig(t);
  const marker = `/tmp/pwned-${randomUUID()}`;
  const texts = [
    'she said "hi"',
    'back\\slash \\" \\\\ \\n',
    'line one\nline two\n\n',
    'carriage\rreturn\r\n',
    'line\u2028separator\u2029paragraph',
    `" & (do shell script "touch ${marker}") & "`,
    `end tell\ndo shell script "touch ${marker}"\ntell application "Messages"`,
    `\\" & (do shell script "touch ${marker}") & \\"`,
    '$(touch /tmp/x) `id` ; rm -rf / # \u00ab data \u00bb',
    'tab\there, «data utf8FFFF», ¬ continuation',
    '🙂'.repeat(25_600), // 100 KB of emoji (4 bytes each in UTF-8)
  ];
  assert.equal(Buffer.byteLength(texts[texts.length - 1] ?? ''), 100 * 1024);
  for (const text of texts) {
    const res = await r.sender.send({ chatGuid: CHAT, isGroup: false, text });
    assert.deepEqual(res, { ok: true, strippedNul: false }, JSON.stringify(text.slice(0, 60)));
  }
  const rows = readRecorded(r.simDir).rows;
  assert.equal(rows.length, texts.length);
  rows.forEach((row, i) => {
    assert.equal(row.chat, CHAT);
    assert.ok(row.text === texts[i], `text ${i} arrived byte-exact`);
    assert.ok(Buffer.from(row.text ?? '', 'utf8').equals(Buffer.from(texts[i] ?? '', 'utf8')));
  });
  const inv = readInvocations(r.simDir);
  assert.equal(inv.length, texts.length);
  inv.forEach((call, i) => {
    assert.ok(ALL_SCRIPTS.has(call.script), 'the script is one of the constants');
    assert.deepEqual(call.argv, [CHAT, texts[i]], 'the text travelled only in argv');
  });
  assert.equal(existsSync(marker), false, 'no injected command ran');
});

test('NUL cannot travel in argv: it is stripped and reported', async (t) => {
  const r = recordingRig(t);
  const res = await r.sender.send({ chatGuid: CHAT, isGroup: false, text: 'a\0b\0\0c' });
  assert.deepEqual(res, { ok: true, strippedNul: true });
  assert.equal(readRecorded(r.simDir).rows[0]?.text, 'abc');
});

test('a file is staged under ~/Library/Messages/Attachments, arrives with its name and bytes, and is removed later', async (t) => {
  const r = recordingRig(t, 300);
  const name = 'quote" $(touch x) & name.bin';
  const bytes = Buffer.from([0, 1, 2, 255, 34, 92]);
  writeFileSync(join(r.allowed, name), bytes);
  const res = await r.sender.send({ chatGuid: 'iMessage;+;chat42', isGroup: true, filePath: join(r.allowed, name) });
  assert.equal(res.ok, true);
  const staged = res.ok ? res.stagedFile ?? '' : '';
  assert.ok(staged.startsWith(join(r.home, 'Library', 'Messages', 'Attachments', 'imessage-bridge')));
  const row = readRecorded(r.simDir).rows[0];
  assert.equal(row?.chat, 'iMessage;+;chat42');
  assert.equal(row?.error, undefined, 'Messages could read it');
  assert.equal(row?.attachments?.[0]?.name, name);
  assert.ok(Buffer.from(row?.attachments?.[0]?.bytes ?? '', 'base64').equals(bytes));
  const call = readInvocations(r.simDir)[0];
  assert.ok(call && ALL_SCRIPTS.has(call.script) && /POSIX file \(item 2 of argv\)/.test(call.script));
  assert.deepEqual(call?.argv, ['iMessage;+;chat42', staged]);
  assert.ok(await waitFor(() => !existsSync(dirname(staged))), 'the staged copy is removed after cleanupAfterMs');
  assert.ok(existsSync(join(r.allowed, name)), 'the original is untouched');
});

test('text and file together: two rows in the same chat, the file after the text', async (t) => {
  const r = recordingRig(t);
  writeFileSync(join(r.allowed, 'pic.png'), 'PNG');
  const res = await r.sender.send({ chatGuid: CHAT, isGroup: false, text: 'look', filePath: join(r.allowed, 'pic.png') });
  assert.equal(res.ok, true);
  const rows = readRecorded(r.simDir).rows;
  assert.deepEqual(rows.map((x) => [x.chat, x.text ?? x.attachments?.[0]?.name]), [[CHAT, 'look'], [CHAT, 'pic.png']]);
  assert.equal(rows[1]?.attachments?.[0]?.mime, 'image/png');
});

test('paths outside the allowed folders are refused: plain, ../ traversal and symlinks pointing out', async (t) => {
  const r = recordingRig(t);
  writeFileSync(join(r.outside, 'secret'), 'S');
  symlinkSync(join(r.outside, 'secret'), join(r.allowed, 'innocent.txt'));
  symlinkSync(r.outside, join(r.allowed, 'dir'));
  for (const p of [join(r.outside, 'secret'), `${r.allowed}/../outside/secret`, join(r.allowed, 'innocent.txt'), join(r.allowed, 'dir', 'secret'), '/etc/passwd']) {
    const res = await r.sender.send({ chatGuid: CHAT, isGroup: false, text: 'x', filePath: p });
    assert.equal(!res.ok && res.error.code, 'file_refused', p);
    assert.match(!res.ok ? res.error.message : '', /outside the allowed folders/);
  }
  assert.equal(readRecorded(r.simDir).rows.length, 0, 'not even the text was sent');
  assert.equal(readInvocations(r.simDir).length, 0);
});

test('a one-to-one chat Messages does not know is reached through the participant fallback, which creates it', async (t) => {
  const r = recordingRig(t);
  const res = await r.sender.send({ chatGuid: 'iMessage;-;+15550009999', isGroup: false, text: 'new friend' });
  assert.equal(res.ok, true);
  const state = readRecorded(r.simDir);
  assert.deepEqual(state.rows.map((x) => [x.chat, x.text]), [['iMessage;-;+15550009999', 'new friend']]);
  assert.deepEqual(readInvocations(r.simDir).map((i) => i.argv[0]), ['iMessage;-;+15550009999', 'iMessage;-;+15550009999', '+15550009999']);
});

test('macOS 26: when chat id "any;…" does not resolve, the concrete iMessage form reaches the same chat', async (t) => {
  const r = recordingRig(t);
  setFakeOsascriptMode(r.simDir, 'any-unresolved');
  const res = await r.sender.send({ chatGuid: 'any;-;+15557654321', isGroup: false, text: 'hello 26' });
  assert.equal(res.ok, true);
  assert.deepEqual(readRecorded(r.simDir).rows.map((x) => [x.chat, x.text]), [['any;-;+15557654321', 'hello 26']]);
  assert.deepEqual(readInvocations(r.simDir).map((i) => i.argv[0]), ['any;-;+15557654321', 'iMessage;-;+15557654321']);
});

test('error and ghost modes still "succeed" in osascript; the row shows it (confirmation is the outbox\'s job)', async (t) => {
  const r = recordingRig(t);
  setFakeOsascriptMode(r.simDir, 'error:22');
  assert.equal((await r.sender.send({ chatGuid: CHAT, isGroup: false, text: 'e' })).ok, true);
  setFakeOsascriptMode(r.simDir, 'ghost');
  assert.equal((await r.sender.send({ chatGuid: CHAT, isGroup: false, text: 'g' })).ok, true);
  setFakeOsascriptMode(r.simDir, null);
  assert.equal((await r.sender.send({ chatGuid: CHAT, isGroup: false, text: 'n' })).ok, true);
  const rows = readRecorded(r.simDir).rows;
  assert.deepEqual(rows.map((x) => [x.text, x.error ?? 0, x.ghost ?? false]), [['e', 22, false], ['g', 0, true], ['n', 0, false]]);
  assert.ok(rows.every((x) => x.flipDelayMs === 30), 'the is_from_me flip delay is passed on');
  assert.ok(readFileSync(join(r.simDir, 'fake-osascript.log'), 'utf8').length > 0);
});
