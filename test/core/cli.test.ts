// The CLI end to end against the simulator and the fake osascript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fakeOsascriptEnv } from '../../src/sim/fakeOsascript/index.ts';
import { makeSim, waitFor } from './support/harness.ts';
import { waitFor as sharedWaitFor } from '../support/waitFor.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');

test('send prints the confirmed guid; a failure prints the error and its advice with a non-zero exit', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const env = fakeOsascriptEnv(sim.dir, { FAKE_OSASCRIPT_FLIP_MS: '200' });
  const ok = spawnSync(process.execPath, [BIN, 'send', chat.guid, 'hi "there" \\ & (do shell script "x")', '--db', sim.dbPath], { env, cwd: dir, encoding: 'utf8', timeout: 30_000 });
  assert.equal(ok.status, 0, ok.stderr);
  const guid = ok.stdout.trim();
  const row = sim.db.prepare('SELECT is_from_me FROM message WHERE guid = ?').get(guid) as { is_from_me: number } | undefined;
  assert.equal(row?.is_from_me, 1, 'the printed guid is the sent row');
  const bad = spawnSync(process.execPath, [BIN, 'send', chat.guid, 'nope', '--db', sim.dbPath], { env: { ...env, FAKE_OSASCRIPT_MODE: 'fail:-1743' }, cwd: dir, encoding: 'utf8', timeout: 30_000 });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /not_authorized/);
  assert.match(bad.stderr, /Privacy & Security › Automation/);
});

test('watch --json streams new messages and changes in the JSON contract', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const child = spawn(process.execPath, [BIN, 'watch', '--json', '--db', sim.dbPath], { cwd: dir, env: { ...process.env, LOG_LEVEL: 'error' } });
  t.after(() => { child.kill('SIGKILL'); });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  // Started: it writes nothing for old rows, so poll until a fresh row shows up.
  let m = sim.receive(chat, { from: '+15551230001', text: 'hello watcher' });
  await sharedWaitFor('watch to print a fresh row', () => {
    if (out.includes(m.guid)) return true;
    m = sim.receive(chat, { from: '+15551230001', text: 'hello watcher' });
    return false;
  }, { timeoutMs: 20_000, intervalMs: 500 });
  sim.edit(m.guid, 'hello watcher!');
  await waitFor(() => out.split('\n').some((l) => l.includes('"type":"edit"')), 'the edit line', 20_000);
  const lines = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  const msg = lines.find((l) => l.guid === m.guid && l.type === 'message')!;
  assert.equal(msg.chat_guid, chat.guid);
  assert.equal(msg.text, 'hello watcher');
  assert.equal(msg.from_me, false);
  const edit = lines.find((l) => l.type === 'edit')!;
  assert.equal(edit.text, 'hello watcher!');
  child.kill('SIGINT');
  const code = await new Promise((r) => child.once('exit', (c) => r(c)));
  assert.equal(code, 0, 'SIGINT stops it cleanly');
});
