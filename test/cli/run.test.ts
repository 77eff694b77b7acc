// `imessage-bridge run` as a person starts it: readable logs on a terminal
// (a real pseudo-terminal, through util-linux `script`), JSON when not on
// one, and advice instead of a bare EADDRINUSE when the port is taken.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { waitFor } from '../support/waitFor.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');

function setup(t: TestContext, apiPort = 0): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'imb-run-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sim = MessagesSimulator.create({ dir: join(dir, 'sim') });
  sim.addChat({ participants: ['+15551230001'] });
  sim.close();
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `imessage:\n  chat_db: "${sim.dbPath}"\n  contacts_dir: "${join(dir, 'none')}"\nbridge:\n  database: "${join(dir, 'bridge.db')}"\napi:\n  port: ${apiPort}\n`);
  return { dir, config };
}

function start(t: TestContext, argv: string[], cwd: string): { child: ChildProcess; out: () => string } {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', NO_COLOR: '1' };
  delete env.LOG_FORMAT;
  const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => { text += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { text += d.toString(); });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  return { child, out: () => text };
}

async function until(what: string, ok: () => boolean, out: () => string, ms = 60_000): Promise<void> {
  await waitFor(what, ok, { timeoutMs: ms, intervalMs: 50 }).catch((e: Error) => { throw new Error(`${e.message}; output so far:\n${out()}`); });
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));

test('on a terminal, `run` prints readable lines with local times and "API listening" once', async (t) => {
  const { dir, config } = setup(t);
  const cmd = `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} run --config ${JSON.stringify(config)}`;
  const { child, out } = start(t, ['script', '-qfec', cmd, '/dev/null'], dir);
  await until('bridge running', () => /bridge running/.test(out()) && /API listening/.test(out()), out);
  child.kill('SIGTERM');
  await exited(child);
  // eslint-disable-next-line no-control-regex
  const text = out().replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '');
  assert.doesNotMatch(text, /^\{"level":/m, 'no JSON lines on a terminal');
  assert.equal(text.match(/API listening/g)?.length, 1, text);
  const hhmmss = (d: Date) => [d.getHours(), d.getMinutes()].map((n) => String(n).padStart(2, '0')).join(':');
  assert.match(text, /^\[\d\d:\d\d:\d\d\] INFO: API listening/m);
  const stamp = /\[(\d\d:\d\d):\d\d\] INFO: API listening/.exec(text)![1]!;
  const now = new Date();
  assert.ok([hhmmss(now), hhmmss(new Date(now.getTime() - 60_000)), hhmmss(new Date(now.getTime() - 120_000))].includes(stamp), `local time ${stamp}`);
  assert.match(text, /API listening \{.*"url":"http:\/\/127\.0\.0\.1:\d+"/);
});

test('not on a terminal, `run` logs JSON lines, "API listening" once', async (t) => {
  const { dir, config } = setup(t);
  const { child, out } = start(t, [process.execPath, BIN, 'run', '--config', config], dir);
  await until('bridge running', () => /bridge running/.test(out()) && /API listening/.test(out()), out);
  child.kill('SIGTERM');
  assert.equal(await exited(child), 0);
  const lines = out().split('\n').filter((l) => l.startsWith('{'));
  const msgs = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
  assert.equal(msgs.filter((m) => m === 'API listening').length, 1);
  assert.ok(msgs.includes('bridge running'));
});

test('a busy API port gives advice, not a bare EADDRINUSE', async (t) => {
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  t.after(() => holder.close());
  const port = (holder.address() as { port: number }).port;
  const { dir, config } = setup(t, port);
  const { child, out } = start(t, [process.execPath, BIN, 'run', '--config', config], dir);
  const code = await exited(child);
  assert.notEqual(code, 0);
  assert.match(out(), new RegExp(`error: port ${port} is already in use`));
  assert.match(out(), new RegExp(`lsof -nP -iTCP:${port}`));
  assert.match(out(), /api\.port/);
  assert.doesNotMatch(out(), /^\s+at /m, 'no stack trace');
});
