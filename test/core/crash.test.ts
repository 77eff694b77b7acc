// SIGKILL the bridge at random moments during a 5,000-message burst, restart
// it each time; every message must reach the connector exactly once, in order
// per chat, as recorded by the connector itself (which does not deduplicate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSim, waitFor } from './support/harness.ts';
import { pause, waitWhileGrowing } from '../support/waitFor.ts';

const TOTAL = 5000;
const CHATS = 5;
const KILLS = 4;

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

test('SIGKILL during a 5,000-message burst: every message exactly once, in order per chat', { timeout: 300_000 }, async (t) => {
  const { sim, dir } = makeSim(t);
  const chats = Array.from({ length: CHATS }, (_, i) => sim.addChat({ participants: [`+1555000${1000 + i}`] }));
  const paths = { bridge: join(dir, 'bridge.db'), record: join(dir, 'record.jsonl'), reconcile: join(dir, 'reconcile.log') };
  let child: ChildProcess | null = null;
  t.after(() => { child?.kill('SIGKILL'); });

  const startChild = async (): Promise<ChildProcess> => {
    const c = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'support/crashChild.ts'), sim.dbPath, sim.home, paths.bridge, paths.record, paths.reconcile], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      c.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
      c.on('exit', (code) => reject(new Error(`bridge child exited early (${code})`)));
    });
    return c;
  };

  // The burst: the simulator writes in this process while the bridge runs, dies and restarts.
  let written = 0;
  const writer = (async () => {
    while (written < TOTAL) {
      for (let i = 0; i < 25 && written < TOTAL; i++, written++) {
        const n = written;
        sim.receive(chats[n % CHATS]!, { from: `+1555000${1000 + (n % CHATS)}`, text: `m${n}` });
      }
      await pause(5); // the burst's pace: rows keep arriving while the bridge dies and restarts (the condition under test)
    }
  })();

  for (let k = 0; k < KILLS; k++) {
    child = await startChild();
    const before = lines(paths.record).length;
    // Kill while deliveries are landing: after the record grew, at a random moment.
    await waitFor(() => lines(paths.record).length > before + 20, 'deliveries to start', 30_000);
    await pause(Math.random() * 150); // a random kill moment is the condition under test
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
  }
  await writer;
  child = await startChild();
  // Five child starts and 5,000 deliveries: minutes on a loaded 2-core machine, so fail on a stall, not on a total time.
  await waitWhileGrowing(`all ${TOTAL} messages recorded`, () => lines(paths.record).length, TOTAL);
  // Sentinels instead of a sleep: each chat is delivered in order, so a
  // duplicate in a chat would land before a row written in it now.
  for (const [i, chat] of chats.entries()) sim.receive(chat, { from: `+1555000${1000 + i}`, text: 'sentinel' });
  await waitFor(() => lines(paths.record).filter((l) => l.includes('"text":"sentinel"')).length >= CHATS, 'a sentinel in every chat', 30_000);
  child.kill('SIGTERM');

  const record = lines(paths.record).map((l) => JSON.parse(l) as { key: string; chat: string; text: string }).filter((r) => r.text !== 'sentinel');
  const keys = record.map((r) => r.key);
  const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
  assert.deepEqual(dupes, [], 'no message delivered twice');
  assert.equal(record.length, TOTAL, 'every message delivered');
  const byChat = new Map<string, number[]>();
  for (const r of record) byChat.set(r.chat, [...(byChat.get(r.chat) ?? []), Number(r.text.slice(1))]);
  assert.equal(byChat.size, CHATS);
  for (const [chat, ns] of byChat) assert.deepEqual(ns, [...ns].sort((a, b) => a - b), `in order within ${chat}`);
  const reconciled = lines(paths.reconcile);
  assert.ok(reconciled.includes('delivered'), `a crash after a delivery landed was reconciled instead of resent (${reconciled.length} reconciles)`);
});
