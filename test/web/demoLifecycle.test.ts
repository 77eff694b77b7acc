// The demo's folder and port handling as a user meets them: `--dir` kept and
// reused by a second run (with no internal advice), and a failed start (an
// explicitly requested port that is taken) that says why and leaves nothing
// behind.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWebBuilt, REPO, spawnDemo } from './support/demoProcess.ts';

const root = mkdtempSync(join(tmpdir(), 'imb-demo-life-'));
after(() => rmSync(root, { recursive: true, force: true }));

const BIN = join(REPO, 'bin/imessage-bridge.js');

test('`demo --dir X` twice reuses the folder: same chats, sends kept, no internal API advice', async () => {
  await ensureWebBuilt();
  const dir = join(root, 'kept');
  const run = () => spawnDemo({ command: [process.execPath, BIN, 'demo', '--port', '0', '--chatter', '0', '--dir', dir], ownDir: null, startTimeoutMs: 90_000 });
  const first = await run();
  const auth = { authorization: `Bearer ${first.token}` };
  const chats = (await (await fetch(`${first.url}/v1/chats`, { headers: auth })).json() as { chats: { guid: string; name?: string }[] }).chats;
  const ada = chats.find((c) => c.name === 'Ada Lovelace')!;
  const text = `kept across runs ${Date.now()}`;
  const sent = await fetch(`${first.url}/v1/send?wait=true`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ chat: ada.guid, text }) });
  assert.equal(((await sent.json()) as { fate: { state: string } }).fate.state, 'sent');
  assert.match(first.output(), /Demo files: .*kept: run again with the same --dir/);
  assert.equal(await first.stop(), 0);
  assert.ok(existsSync(join(dir, 'messages', 'sim.json')), '--dir is kept after the demo stops');

  const second = await run();
  try {
    const out = second.output();
    assert.match(out, /^Reusing the demo in /m);
    assert.doesNotMatch(out, /MessagesSimulator|already exists|error/i);
    const again = (await (await fetch(`${second.url}/v1/chats`, { headers: { authorization: `Bearer ${second.token}` } })).json() as { chats: { guid: string; name?: string }[] }).chats;
    assert.deepEqual(again.map((c) => c.guid).sort(), chats.map((c) => c.guid).sort(), 'the same chats, not a second copy');
    const msgs = await (await fetch(`${second.url}/v1/chats/${encodeURIComponent(ada.guid)}/messages?limit=200`, { headers: { authorization: `Bearer ${second.token}` } })).json() as { messages: { text: string }[] };
    assert.ok(msgs.messages.some((m) => m.text === text), 'the first run\'s send is still there');
  } finally {
    assert.equal(await second.stop(), 0);
  }
});

test('a failed start (the requested port is taken) says why in a sentence and removes its temp folder', async () => {
  const tmp = join(root, 'tmp');
  mkdirSync(tmp);
  const busy = createServer();
  await new Promise<void>((r) => busy.listen({ port: 0, host: '127.0.0.1' }, r));
  const port = (busy.address() as AddressInfo).port;
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [BIN, 'demo', '--port', String(port), '--chatter', '0'], { cwd: REPO, env: { ...process.env, TMPDIR: tmp, LOG_LEVEL: 'silent' }, timeout: 120_000 }, (_err, _out, err) => resolve({ code: child.exitCode, stderr: err }));
    });
    assert.equal(code, 1, stderr);
    assert.match(stderr, new RegExp(`^error: Port ${port} is in use\\.$`, 'm'));
    assert.match(stderr, /Pick another one with --port/);
    assert.doesNotMatch(stderr, /EADDRINUSE|at .*\.ts:\d+/);
    assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('imessage-bridge-demo-')), [], 'no demo folder left behind');
  } finally {
    busy.close();
  }
});
