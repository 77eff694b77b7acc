// `watch` as a user runs it: a line when it starts, the chat of each message,
// no durable cursor (and --help says so), and nothing printed twice when
// chat.db is replaced by a copy holding the same rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { makeSim, waitFor } from '../core/support/harness.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');
const ADA = '+15551230001';

test('watch --help says there is no durable cursor', () => {
  const r = spawnSync(process.execPath, [BIN, 'watch', '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /no durable cursor/);
  assert.match(r.stdout, /not printed later/);
});

test('watch: a start line, the chat on each line, and no reprint after chat.db is replaced by a copy', { timeout: 60_000 }, async (t) => {
  const { sim, dir } = makeSim(t);
  const group = sim.addChat({ participants: [ADA, '+15551230002'], displayName: 'Hikers' });
  const solo = sim.addChat({ participants: [ADA] });
  const cfg = join(dir, 'config.yaml');
  writeFileSync(cfg, `imessage:\n  chat_db: ${sim.dbPath}\n  poll_interval_ms: 100\n  debounce_ms: 20\n`);
  const watch = spawn(process.execPath, [BIN, 'watch', '--config', cfg], { stdio: 'pipe' });
  const exited = new Promise<number | null>((r) => watch.once('exit', (code) => r(code)));
  t.after(() => { if (watch.exitCode === null) watch.kill('SIGKILL'); });
  const out: string[] = [];
  let err = '';
  createInterface({ input: watch.stdout }).on('line', (l) => out.push(l));
  watch.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  await waitFor(() => /watching .*chat\.db/.test(err), 'the start line', 30_000);
  assert.equal(err.trim().split('\n').length, 1, 'one line when it starts');
  assert.match(err, /Ctrl-C to stop/);

  sim.receive(group, { from: ADA, text: 'to the group' });
  sim.receive(solo, { from: ADA, text: 'just to me' });
  await waitFor(() => out.length >= 2, 'two lines');
  assert.match(out.find((l) => l.includes('to the group'))!, /^\[Hikers\] /);
  assert.match(out.find((l) => l.includes('just to me'))!, new RegExp(`^\\[\\${ADA}\\] `));

  // Replaced by a copy with the same rows (new inode), as a restore from backup does.
  sim.db.pragma('wal_checkpoint(TRUNCATE)');
  const copy = join(dir, 'copy.db');
  copyFileSync(sim.dbPath, copy);
  sim.close();
  renameSync(copy, sim.dbPath);
  const { MessagesSimulator } = await import('../../src/sim/simulator.ts');
  const again = MessagesSimulator.open(sim.dir);
  t.after(() => again.close({ pending: 'drop' }));
  again.receive(solo.guid, { from: ADA, text: 'after the restore' });
  await waitFor(() => out.some((l) => l.includes('after the restore')), 'the new row after the restore');
  // A further poll or two must not bring the old rows back.
  again.receive(solo.guid, { from: ADA, text: 'one more' });
  await waitFor(() => out.some((l) => l.includes('one more')), 'one more');
  assert.deepEqual(out.map((l) => l.replace(/^\[[^\]]*\] \S+ \S+ {2}\S+ +/, '')), ['to the group', 'just to me', 'after the restore', 'one more'], out.join('\n'));

  watch.kill('SIGTERM');
  assert.equal(await exited, 0);
});
