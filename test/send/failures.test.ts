import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppleScriptSender, SCRIPTS, stagingRoot } from '../../src/imessage/send/index.ts';
import { readHangPids, readInvocations, setFakeOsascriptMode } from '../../src/sim/fakeOsascript/index.ts';
import { isAlive, rig, waitFor } from './support.ts';

const ALL_SCRIPTS = new Set(SCRIPTS.values());

const modes: [string, string, number, boolean, RegExp][] = [
  ['fail:-1743', 'not_authorized', -1743, false, /Privacy & Security › Automation.*enable Messages under/],
  ['fail:-600', 'not_running', -600, true, /not running/],
  ['fail:-1712', 'timeout', -1712, false, /may or may not/],
  ['fail:-1708', 'not_understood', -1708, false, /report/],
  ['fail:-1700', 'coercion', -1700, false, /convert/],
  ['fail:-2753', 'undefined_variable', -2753, false, /does not define/],
  ['fail:-2741', 'syntax', -2741, false, /did not compile/],
  ['fail:-12345', 'unknown', -12345, false, /unrecognized/],
];

test('every failure mode of the fake maps to the right SendError, without fallbacks', async (t) => {
  const r = rig(t);
  for (const [mode, code, n, retryable, advice] of modes) {
    setFakeOsascriptMode(r.simDir, mode);
    const before = readInvocations(r.simDir).length;
    const res = await r.sender.send({ chatGuid: 'iMessage;-;+15551234567', isGroup: false, text: 'hi' });
    assert.equal(res.ok, false, mode);
    if (res.ok) continue;
    assert.equal(res.error.code, code, mode);
    assert.equal(res.error.osaNumber, n, mode);
    assert.equal(res.error.retryable, retryable, mode);
    assert.match(res.error.advice, advice, mode);
    assert.equal(readInvocations(r.simDir).length - before, 1, `${mode}: only -1728 falls back`);
  }
});

test('-1728 climbs the whole ladder for a one-to-one chat, then reports not_found', async (t) => {
  const r = rig(t);
  setFakeOsascriptMode(r.simDir, 'fail:-1728');
  const t0 = Date.now();
  const res = await r.sender.send({ chatGuid: 'any;-;+15551234567', isGroup: false, text: 'hello "there"' });
  assert.equal(res.ok, false);
  assert.equal(!res.ok && res.error.code, 'not_found');
  assert.equal(!res.ok && res.error.osaNumber, -1728);
  assert.match(!res.ok ? res.error.advice : '', /chat guid or handle/);
  const inv = readInvocations(r.simDir);
  assert.deepEqual(inv.map((i) => i.argv[0]), [
    'any;-;+15551234567', 'iMessage;-;+15551234567', 'SMS;-;+15551234567',
    '+15551234567', '+15551234567', '+15551234567', '+15551234567',
  ]);
  assert.deepEqual(inv.map((i) => /participant/.test(i.script) ? 'participant' : /buddy/.test(i.script) ? 'buddy' : /of \(1st service/.test(i.script) ? 'chat_of_service' : 'chat'),
    ['chat', 'chat_of_service', 'chat_of_service', 'participant', 'participant', 'buddy', 'buddy']);
  for (const i of inv) {
    assert.ok(ALL_SCRIPTS.has(i.script), 'every script is one of the constants');
    assert.equal(i.argv[1], 'hello "there"');
  }
  assert.ok(Date.now() - t0 >= 20, 'waited before the first fallback');
});

test('-1728 on a group stops after the service-qualified chat id: never a participant', async (t) => {
  const r = rig(t);
  setFakeOsascriptMode(r.simDir, 'fail:-1728');
  const res = await r.sender.send({ chatGuid: 'iMessage;+;chat123456', isGroup: true, handle: '+15551234567', text: 'x' });
  assert.equal(!res.ok && res.error.code, 'not_found');
  const inv = readInvocations(r.simDir);
  assert.equal(inv.length, 2);
  assert.ok(inv.every((i) => i.argv[0] === 'iMessage;+;chat123456' && !/participant|buddy/.test(i.script)));
});

test('a hang is killed at the timeout with its whole process tree, and is not retried', async (t) => {
  // Long enough for the fake to start and record its pids on a loaded machine.
  const r = rig(t, { timeoutMs: 4000 });
  setFakeOsascriptMode(r.simDir, 'hang');
  const t0 = Date.now();
  const res = await r.sender.send({ chatGuid: 'iMessage;-;+15551234567', isGroup: false, text: 'stuck' });
  assert.equal(res.ok, false);
  assert.equal(!res.ok && res.error.code, 'timeout');
  assert.equal(!res.ok && res.error.osaNumber, null);
  assert.equal(!res.ok && res.error.retryable, false);
  assert.match(!res.ok ? res.error.advice : '', /outcome is unknown/);
  assert.ok(Date.now() - t0 >= 3900);
  const pids = readHangPids(r.simDir);
  assert.ok(pids, 'the fake recorded its pids');
  assert.ok(await waitFor(() => !isAlive(pids.pid) && !isAlive(pids.childPid)), 'osascript and its child are gone');
  assert.equal(readInvocations(r.simDir).length, 1, 'a timeout is never retried');
});

test('refused files and empty requests never start osascript', async (t) => {
  const r = rig(t);
  writeFileSync(join(r.outside, 'secret.txt'), 'x');
  const a = await r.sender.send({ chatGuid: 'iMessage;-;+15551234567', isGroup: false, text: 'see file', filePath: join(r.outside, 'secret.txt') });
  assert.equal(!a.ok && a.error.code, 'file_refused');
  assert.match(!a.ok ? a.error.advice : '', /allowed_file_dirs/);
  const b = await r.sender.send({ chatGuid: 'iMessage;-;+15551234567', isGroup: false, filePath: `${r.allowed}/../outside/secret.txt` });
  assert.equal(!b.ok && b.error.code, 'file_refused');
  const c = await r.sender.send({ chatGuid: 'iMessage;-;+15551234567', isGroup: false });
  assert.equal(!c.ok && c.error.code, 'unknown');
  assert.match(!c.ok ? c.error.message : '', /nothing to send/);
  const d = await r.sender.send({ chatGuid: 'iMessage;-;+15551234567', isGroup: false, text: '\0\0' });
  assert.match(!d.ok ? d.error.message : '', /only NUL/);
  assert.equal(readInvocations(r.simDir).length, 0);
});

test('a missing osascript binary gives a clear error', async (t) => {
  const r = rig(t, { osascript: '/nonexistent/osascript' });
  const res = await r.sender.send({ chatGuid: 'iMessage;-;+1', isGroup: false, text: 'x' });
  assert.equal(!res.ok && res.error.code, 'unknown');
  assert.match(!res.ok ? res.error.message : '', /ENOENT/);
  assert.match(!res.ok ? res.error.advice : '', /osascript/);
});

test('one send runs at a time, in the order they were asked for', async (t) => {
  const r = rig(t);
  // A stand-in that records when each run starts and ends.
  const bin = join(r.base, 'recording-osascript');
  const logFile = join(r.base, 'runs.log');
  writeFileSync(bin, `#!/usr/bin/env node
const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(logFile)}, 'start ' + process.argv[4] + '\\n');
setTimeout(() => { fs.appendFileSync(${JSON.stringify(logFile)}, 'end ' + process.argv[4] + '\\n'); }, 150);
process.stdin.resume();
`);
  chmodSync(bin, 0o755);
  const sender = new AppleScriptSender({ osascript: bin, home: r.home, timeoutMs: 20_000, allowedFileDirs: [], maxFileBytes: 1 });
  t.after(() => sender.dispose());
  const results = await Promise.all(['1', '2', '3', '4'].map((text) => sender.send({ chatGuid: 'iMessage;-;+1', isGroup: false, text })));
  assert.ok(results.every((x) => x.ok));
  assert.deepEqual(readFileSync(logFile, 'utf8').trim().split('\n'),
    ['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3', 'start 4', 'end 4']);
});

test('a failed file send removes its staged copy at once; a timed-out one keeps it for Messages until the cleanup', async (t) => {
  const r = rig(t, { timeoutMs: 6000, cleanupAfterMs: 60_000 }); // long enough for a failing osascript on a loaded machine
  writeFileSync(join(r.allowed, 'a.txt'), 'A');
  const root = stagingRoot(r.home);
  setFakeOsascriptMode(r.simDir, 'fail:-1743');
  const denied = await r.sender.send({ chatGuid: 'iMessage;-;+1', isGroup: false, filePath: join(r.allowed, 'a.txt') });
  assert.equal(!denied.ok && denied.error.code, 'not_authorized');
  assert.deepEqual(readdirSync(root), [], 'nothing left behind');
  setFakeOsascriptMode(r.simDir, 'hang');
  const hung = await r.sender.send({ chatGuid: 'iMessage;-;+1', isGroup: false, filePath: join(r.allowed, 'a.txt') });
  assert.equal(!hung.ok && hung.error.code, 'timeout');
  assert.equal(readdirSync(root).length, 1, 'Messages may still read it: kept until the cleanup delay');
});

test('leftover staged copies from an earlier run are swept before the first send', async (t) => {
  const r = rig(t, { cleanupAfterMs: 60_000 });
  const old = join(stagingRoot(r.home), '11111111-2222-4333-8444-555555555555');
  mkdirSync(old, { recursive: true });
  writeFileSync(join(old, 'x'), 'x');
  const past = new Date(Date.now() - 3_600_000);
  utimesSync(old, past, past);
  // A fresh sender sweeps at start.
  const sender = new AppleScriptSender({ home: r.home, timeoutMs: 20_000, allowedFileDirs: [], maxFileBytes: 1, osascript: '/nonexistent/osascript' });
  t.after(() => sender.dispose());
  await sender.send({ chatGuid: 'iMessage;-;+1', isGroup: false, text: 'x' });
  assert.equal(existsSync(old), false);
});
