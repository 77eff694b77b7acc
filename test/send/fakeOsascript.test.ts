import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCRIPTS, parseOsaStderr } from '../../src/imessage/send/index.ts';
import { compile } from '../../src/sim/fakeOsascript/compile.ts';
import { execute, OsaRuntimeError, UNREADABLE_ATTACHMENT_ERROR, type SimChat, type SimPort } from '../../src/sim/fakeOsascript/execute.ts';
import { parseModes } from '../../src/sim/fakeOsascript/modes.ts';
import { fakeOsascriptDir, fakeOsascriptEnv, readInvocations } from '../../src/sim/fakeOsascript/index.ts';

const script = (...body: string[]) => ['on run argv', '\ttell application "Messages"', ...body.map((b) => `\t\t${b}`), '\tend tell', 'end run', ''].join('\n');

test('every script the sender uses compiles in the fake', () => {
  for (const s of SCRIPTS.values()) assert.equal(compile(s).ok, true, s);
});

test('scripts with a literal user string are rejected as not compiling (interpolation is caught)', () => {
  for (const s of [
    script('send "hello" to chat id (item 1 of argv)'),
    script('send (item 2 of argv) to chat id "iMessage;-;+15551234567"'),
    script('send "" & (do shell script "touch /tmp/pwned") & "" to chat id (item 1 of argv)'),
    script('send (item 2 of argv) to participant acct handle "+1555"'),
  ]) {
    const c = compile(s);
    assert.equal(c.ok, false, s);
    assert.equal(!c.ok && c.error.osaNumber, -2741);
  }
});

test('shapes that do not exist in Messages fail to compile with -2741', () => {
  for (const s of [
    script('send (item 2 of argv) to participant acct handle (item 1 of argv)'),
    script('do shell script (item 1 of argv)'),
    script('send (item 2 of argv) to chat id (item 1 of argv) & (item 2 of argv)'),
    script('run script (item 1 of argv)'),
    script('set x to (item 1 of argv)'),
    'tell application "Messages"\n\tsend (item 2 of argv) to chat id (item 1 of argv)\nend tell\n',
    'on run argv\n\tsend (item 2 of argv) to chat id (item 1 of argv)\nend run\n',
    'on run argv\n\ttell application "Finder"\n\t\tsend (item 2 of argv) to chat id (item 1 of argv)\n\tend tell\nend run\n',
    script(),
  ]) {
    const c = compile(s);
    assert.equal(!c.ok && c.error.osaNumber, -2741, s);
  }
});

class StubSim implements SimPort {
  chats: SimChat[] = [];
  sent: { chat: string; o: Parameters<SimPort['sendFromMe']>[1] }[] = [];
  constructor(guids: string[]) { this.chats = guids.map((guid) => ({ guid })); }
  findChat(g: string) { return this.chats.find((c) => c.guid === g || c.guid.endsWith(`;-;${g}`)) ?? null; }
  addChat(o: { participants: string[]; service?: string }) { const c = { guid: `${o.service ?? 'iMessage'};-;${o.participants[0]}` }; this.chats.push(c); return c; }
  sendFromMe(chat: SimChat, o: Parameters<SimPort['sendFromMe']>[1]) { this.sent.push({ chat: chat.guid, o }); }
}

async function run(s: string, argv: string[], sim: StubSim, mode = '', home = '/nonexistent-home'): Promise<OsaRuntimeError | null> {
  const c = compile(s);
  assert.ok(c.ok, 'compiles');
  try {
    await execute(c.statements, { argv, sim: async () => sim, modes: parseModes(mode), home, flipDelayMs: 0 });
    return null;
  } catch (e) {
    if (e instanceof OsaRuntimeError) return e;
    throw e;
  }
}

test('run-time behaviour matches Messages: unknown chats, service type any, undefined names, missing argv items', async () => {
  const sim = new StubSim(['iMessage;-;+15551234567']);
  assert.equal((await run(SCRIPTS.get('chat/text/')!, ['iMessage;-;+19999999999', 'x'], sim))?.osaNumber, -1728);
  assert.equal((await run(script('set acct to 1st account whose service type = any', 'send (item 2 of argv) to participant (item 1 of argv) of acct'), ['+1', 'x'], sim))?.osaNumber, -1700);
  assert.equal((await run(script('send (item 2 of argv) to chat id (item 1 of argv) of (1st service whose service type = any)'), ['iMessage;-;+15551234567', 'x'], sim))?.osaNumber, -1700);
  assert.equal((await run(script('set svc to 1st service whose service type = Jabber', 'send (item 2 of argv) to buddy (item 1 of argv) of svc'), ['+1', 'x'], sim))?.osaNumber, -2753);
  assert.equal((await run(script('send (item 2 of argv) to buddy (item 1 of argv) of svc'), ['+1', 'x'], sim))?.osaNumber, -2753);
  assert.equal((await run(SCRIPTS.get('chat/text/')!, ['iMessage;-;+15551234567'], sim))?.osaNumber, -1728, 'item 2 of a 1-item argv');
  assert.equal((await run(script('send (item 2 of argv) to chat (item 1 of argv)'), ['iMessage;-;+15551234567', 'x'], sim))?.osaNumber, -1708);
  assert.equal(sim.sent.length, 0, 'nothing was sent by any failing script');
});

test('a participant or buddy send to a handle without a chat starts the one-to-one chat', async () => {
  const sim = new StubSim([]);
  assert.equal(await run(SCRIPTS.get('participant/text/iMessage')!, ['+15550001111', 'hello'], sim), null);
  assert.deepEqual(sim.chats.map((c) => c.guid), ['iMessage;-;+15550001111']);
  assert.equal(await run(SCRIPTS.get('buddy/text/SMS')!, ['+15550002222', 'yo'], sim), null);
  assert.deepEqual(sim.sent.map((s) => [s.chat, s.o.text]), [['iMessage;-;+15550001111', 'hello'], ['SMS;-;+15550002222', 'yo']]);
  assert.equal((await run(SCRIPTS.get('participant/text/SMS')!, ['a@b.com', 'x'], sim))?.osaNumber, -1728, 'no SMS to an email address');
});

test('macOS 26 any; chats: found by exact guid, or by a concrete service; any-unresolved mode makes the bare form fail', async () => {
  const sim = new StubSim(['any;-;+15551234567']);
  assert.equal(await run(SCRIPTS.get('chat/text/')!, ['any;-;+15551234567', 'a'], sim), null);
  assert.equal((await run(SCRIPTS.get('chat/text/')!, ['any;-;+15551234567', 'b'], sim, 'any-unresolved'))?.osaNumber, -1728);
  assert.equal(await run(SCRIPTS.get('chat_of_service/text/iMessage')!, ['iMessage;-;+15551234567', 'c'], sim, 'any-unresolved'), null);
  assert.equal((await run(SCRIPTS.get('chat_of_service/text/SMS')!, ['iMessage;-;+15551234567', 'd'], sim))?.osaNumber, -1728, 'wrong service');
  assert.deepEqual(sim.sent.map((s) => [s.chat, s.o.text]), [['any;-;+15551234567', 'a'], ['any;-;+15551234567', 'c']]);
});

test('fail directives can target one script form; error and ghost modes reach the row', async () => {
  const sim = new StubSim(['iMessage;-;+15551234567']);
  assert.equal((await run(SCRIPTS.get('chat/text/')!, ['iMessage;-;+15551234567', 'x'], sim, 'fail:-1728:chat'))?.osaNumber, -1728);
  assert.equal(await run(SCRIPTS.get('chat_of_service/text/iMessage')!, ['iMessage;-;+15551234567', 'x'], sim, 'fail:-1728:chat'), null);
  assert.equal(await run(SCRIPTS.get('chat/text/')!, ['iMessage;-;+15551234567', 'e'], sim, 'error:22'), null);
  assert.equal(await run(SCRIPTS.get('chat/text/')!, ['iMessage;-;+15551234567', 'g'], sim, 'ghost'), null);
  assert.equal(sim.sent[1]?.o.error, 22);
  assert.equal(sim.sent[2]?.o.ghost, true);
  assert.throws(() => parseModes('explode'), /unknown mode directive/);
});

test('files: readable only under ~/Library/Messages/Attachments; elsewhere the row gets an error', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'fakehome-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const att = join(home, 'Library', 'Messages', 'Attachments', 'imessage-bridge', 'u1');
  mkdirSync(att, { recursive: true });
  writeFileSync(join(att, 'pic.png'), 'PNG');
  writeFileSync(join(home, 'elsewhere.txt'), 'TXT');
  const sim = new StubSim(['iMessage;-;+15551234567']);
  const file = SCRIPTS.get('chat/file/')!;
  assert.equal(await run(file, ['iMessage;-;+15551234567', join(att, 'pic.png')], sim, '', home), null);
  assert.equal(await run(file, ['iMessage;-;+15551234567', join(home, 'elsewhere.txt')], sim, '', home), null);
  assert.equal(await run(file, ['iMessage;-;+15551234567', join(att, 'missing.png')], sim, '', home), null);
  const [ok, outside, missing] = sim.sent;
  assert.deepEqual(ok?.o.attachments?.[0], { name: 'pic.png', mime: 'image/png', bytes: Buffer.from('PNG') });
  assert.equal(ok?.o.error, undefined);
  assert.equal(outside?.o.error, UNREADABLE_ATTACHMENT_ERROR);
  assert.equal(outside?.o.attachments?.[0]?.name, 'elsewhere.txt');
  assert.equal(missing?.o.error, UNREADABLE_ATTACHMENT_ERROR);
});

test('the executable prints osascript-style errors, exits 1, and logs every invocation', (t) => {
  const simDir = mkdtempSync(join(tmpdir(), 'fakeosa-'));
  t.after(() => rmSync(simDir, { recursive: true, force: true }));
  const env = fakeOsascriptEnv(simDir);
  const bin = join(fakeOsascriptDir(), 'osascript');
  const bad = spawnSync('osascript', ['-', 'x'], { env, input: script('send "hi" to chat id (item 1 of argv)'), encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^\d+:\d+: syntax error: .* \(-2741\)\n$/);
  assert.equal(parseOsaStderr(bad.stderr).osaNumber, -2741);

  const denied = spawnSync(bin, ['-', 'iMessage;-;+1', 'x'], { env: { ...env, FAKE_OSASCRIPT_MODE: 'fail:-1743' }, input: SCRIPTS.get('chat/text/'), encoding: 'utf8' });
  assert.equal(denied.status, 1);
  assert.match(denied.stderr, /^\d+:\d+: execution error: Not authorized to send Apple events to Messages\. \(-1743\)\n$/);

  const noDash = spawnSync(bin, ['-e', 'display dialog "x"'], { env, encoding: 'utf8' });
  assert.equal(noDash.status, 1);
  const noSim = spawnSync(bin, ['-'], { env: { ...env, IMESSAGE_SIM_DIR: '' }, input: '', encoding: 'utf8' });
  assert.equal(noSim.status, 1);
  assert.match(noSim.stderr, /IMESSAGE_SIM_DIR/);

  const inv = readInvocations(simDir);
  assert.deepEqual(inv.map((i) => i.argv), [['x'], ['iMessage;-;+1', 'x']]);
  assert.match(inv[0]?.script ?? '', /send "hi"/);
});
