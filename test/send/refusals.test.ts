// The sender refuses what osascript can't take at once, without starting it:
// a bad recipient, a text past the argv limit (E2BIG). A lone surrogate is
// sent as U+FFFD and reported, like NUL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { SEND_PART_BYTES } from '../../src/imessage/send/index.ts';
import { runOsascript } from '../../src/imessage/send/runOsascript.ts';
import { readInvocations } from '../../src/sim/fakeOsascript/index.ts';
import { readRecorded, seedChats } from './recordingSim.ts';
import { rig } from './support.ts';

const SIM_MODULE = fileURLToPath(new URL('./recordingSim.ts', import.meta.url));
const CHAT = 'iMessage;-;+15551234567';

function recordingRig(t: Parameters<typeof rig>[0]) {
  const r = rig(t, {}, { FAKE_OSASCRIPT_SIM_MODULE: SIM_MODULE });
  seedChats(r.simDir, [CHAT]);
  return r;
}

test('bad recipients are refused before osascript runs, each with a clear error', async (t) => {
  const r = recordingRig(t);
  for (const target of ['', ' ', 'a\nb', ';;;', 'x'.repeat(10 * 1024), '../../etc/passwd']) {
    const started = Date.now();
    const res = await r.sender.send({ chatGuid: target, isGroup: false, text: 'hi' });
    assert.equal(res.ok, false);
    assert.equal(!res.ok && res.error.code, 'bad_recipient', JSON.stringify(target.slice(0, 20)));
    assert.match(!res.ok ? res.error.advice : '', /\+15551234567/);
    assert.ok(Date.now() - started < 5000, 'at once, not after a confirm timeout');
  }
  assert.equal(readInvocations(r.simDir).length, 0, 'osascript never ran');
});

test('a text past one osascript run\'s limit gets the "split it" advice, and nothing is started', async (t) => {
  const r = recordingRig(t);
  const res = await r.sender.send({ chatGuid: CHAT, isGroup: false, text: 'x'.repeat(SEND_PART_BYTES + 1) });
  assert.equal(res.ok, false);
  assert.equal(!res.ok && res.error.code, 'too_long');
  assert.match(!res.ok ? res.error.message : '', new RegExp(`${SEND_PART_BYTES + 1} bytes, more than the ${SEND_PART_BYTES} bytes`));
  assert.match(!res.ok ? res.error.advice : '', /Split it/);
  assert.equal(readInvocations(r.simDir).length, 0);
  const atLimit = await r.sender.send({ chatGuid: CHAT, isGroup: false, text: 'y'.repeat(SEND_PART_BYTES) });
  assert.equal(atLimit.ok, true, 'exactly the documented size still goes in one run');
});

test('E2BIG, which spawn throws synchronously, comes back as a spawn error, not a crash', async () => {
  const res = await runOsascript({ binary: process.execPath, script: '', args: ['x'.repeat(4 * 1024 * 1024)], timeoutMs: 5000 });
  assert.equal(res.spawnError?.code, 'E2BIG');
  assert.equal(res.exitCode, null);
});

test('a lone surrogate arrives as U+FFFD and is reported, as NUL is', async (t) => {
  const r = recordingRig(t);
  const res = await r.sender.send({ chatGuid: CHAT, isGroup: false, text: 'half \uD83D an emoji' });
  assert.deepEqual(res, { ok: true, strippedNul: false, replacedSurrogates: true });
  assert.equal(readRecorded(r.simDir).rows[0]?.text, 'half \uFFFD an emoji');
  const plain = await r.sender.send({ chatGuid: CHAT, isGroup: false, text: 'whole 🙂' });
  assert.deepEqual(plain, { ok: true, strippedNul: false }, 'no flag when nothing was replaced');
});
