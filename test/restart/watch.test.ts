// `watch` as a user runs it, while Messages restarts: Messages (another
// process) holds chat.db open, `watch` starts, Messages closes (last, so
// SQLite may remove -wal/-shm), opens it again and writes. Every row must be
// printed, and nothing may be reported as malformed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { MessagesApp } from './messagesApp.ts';
import { waitFor } from '../core/support/harness.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');
const ADA = '+15551230001';

test('watch sees every row across a Messages restart, and exits on SIGTERM once Messages is gone', { timeout: 90_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'restart-watch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sim = MessagesSimulator.create({ dir: join(dir, 'sim') });
  const chat = sim.addChat({ participants: [ADA] });
  sim.close();
  const messages = await MessagesApp.start(sim.dir);
  t.after(() => messages.stop());
  await messages.receive(chat.guid, ADA, 'before-watch');

  const cfg = join(dir, 'config.yaml');
  writeFileSync(cfg, `imessage:\n  chat_db: ${sim.dbPath}\n  poll_interval_ms: 100\n  debounce_ms: 20\n`);
  const watch = spawn(process.execPath, [BIN, 'watch', '--json', '--config', cfg], { stdio: 'pipe', env: { ...process.env, LOG_LEVEL: 'info' } });
  const exited = new Promise<number | null>((r) => watch.once('exit', (code) => r(code)));
  t.after(() => { if (watch.exitCode === null) watch.kill('SIGKILL'); });
  const seen: string[] = [];
  let stderr = '';
  createInterface({ input: watch.stdout }).on('line', (l) => { try { seen.push(String((JSON.parse(l) as { text: unknown }).text)); } catch { /* not JSON */ } });
  watch.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });

  // Ready when it prints a row written after it started.
  let n = 0;
  let last = 0;
  await waitFor(() => {
    if (Date.now() - last > 500) { last = Date.now(); void messages.receive(chat.guid, ADA, `ping-${n++}`); }
    return seen.length > 0;
  }, 'watch to print a first row', 30_000);
  const first = seen.length;

  const closed = await messages.close({ last: true });
  await messages.reopen();
  const texts = Array.from({ length: 10 }, (_, i) => `after-restart-${i}`);
  for (const text of texts) await messages.receive(chat.guid, ADA, text);
  await waitFor(() => texts.every((x) => seen.includes(x)), `all 10 rows after the restart (saw ${seen.length - first}; sidecars after close: ${JSON.stringify(closed)})`, 20_000).catch((e: unknown) => {
    throw new Error(`${(e as Error).message}\nstderr:\n${stderr}`);
  });
  assert.doesNotMatch(stderr, /malformed/i);
  assert.equal(seen.filter((s) => texts.includes(s)).length, 10, 'each once');

  // Messages quits for good (its sidecars are gone); SIGTERM still ends `watch` cleanly.
  const gone = await messages.close({ last: true });
  const exitedBy = Date.now() + 15_000;
  watch.kill('SIGTERM');
  assert.equal(await exited, 0, `exit after SIGTERM (sidecars removed by SQLite: ${JSON.stringify(gone)})`);
  assert.ok(Date.now() < exitedBy, 'promptly');
});
