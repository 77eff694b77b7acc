// SIGKILL the bridge twice in the middle of a portal's backfill: the history
// still arrives complete, once each, in order, and the live row right after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSim, waitFor } from '../core/support/harness.ts';
import { HISTORY, seedHistory } from './support.ts';

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

test('SIGKILL mid-backfill: history complete, no doubles, in order, then the live row', { timeout: 60_000 }, async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15550001111'] });
  const seeded = seedHistory(sim, chat, '+15550001111');
  const paths = { bridge: join(dir, 'bridge.db'), record: join(dir, 'record.jsonl') };
  let child: ChildProcess | null = null;
  t.after(() => { child?.kill('SIGKILL'); });
  const startChild = async (): Promise<ChildProcess> => {
    const c = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'support/crashChild.ts'), sim.dbPath, sim.home, paths.bridge, paths.record], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      c.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
      c.on('exit', (code) => reject(new Error(`bridge child exited early (${code})`)));
    });
    return c;
  };
  const kill = async (c: ChildProcess): Promise<void> => { c.kill('SIGKILL'); await new Promise((r) => c.once('exit', r)); };

  child = await startChild();
  sim.receive(chat, { from: '+15550001111', text: 'live' });
  await waitFor(() => lines(paths.record).length >= 5, 'history to start landing', 20_000);
  await kill(child);
  const afterFirst = lines(paths.record).length;
  assert.ok(afterFirst < HISTORY, `killed mid-backfill (${afterFirst} of ${HISTORY} landed)`);
  child = await startChild();
  await waitFor(() => lines(paths.record).length >= afterFirst + 5, 'history to go on', 20_000);
  await kill(child);
  child = await startChild();
  await waitFor(() => lines(paths.record).length >= HISTORY + 1, 'history and the live row', 30_000);
  // Sentinel instead of a sleep: the chat is delivered in order, so a double would land before a row written now.
  sim.receive(chat, { from: '+15550001111', text: 'sentinel' });
  await waitFor(() => lines(paths.record).some((l) => l.includes('"text":"sentinel"')), 'the sentinel row', 30_000);
  child.kill('SIGTERM');

  const record = lines(paths.record).map((l) => JSON.parse(l) as { key: string; type: string; text: string; date: number }).filter((r) => r.text !== 'sentinel');
  const keys = record.map((r) => r.key);
  assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), [], 'nothing delivered twice');
  assert.equal(record.length, HISTORY + 1, keys.join("\n"));
  assert.deepEqual(record.slice(0, HISTORY).map((r) => [r.type, r.text, r.date]), seeded.texts.map((text, i) => ['history', text, seeded.dates[i]]));
  assert.deepEqual([record[HISTORY]!.type, record[HISTORY]!.text], ['message', 'live']);
});
