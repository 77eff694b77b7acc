// SIGKILL `imessage-bridge run` twice while it posts a new room's history to a
// real Synapse (appservice mode): the room still ends up with every history
// line once, in order, at its original time, then the live row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { SeenEvent } from '../support/synapse/elementUser.ts';
import type { SimChat } from '../../src/sim/simulator.ts';
import { ALICE, startMatrixWorld, type MatrixWorld } from './matrixWorld.ts';
import { EDITED, UNSENT, seedHistory, type Seeded } from './support.ts';
import { waitFor } from '../support/waitFor.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');
const OLDER = 70;
const TOTAL = OLDER + 30;
let w: MatrixWorld;
let seeded: Seeded;
let older: Array<{ text: string; date: number }> = [];
let child: ChildProcess | null = null;
let alice: SimChat;

before(async () => {
  w = await startMatrixWorld('appservice', { bridge: { backfill: { messages: TOTAL } } });
  alice = w.sim.addChat({ participants: [ALICE.handle] });
  // Older lines first (history follows chat.db order), then the usual 30 with a tapback, an edit and an unsend.
  const now = Date.now();
  const start = Math.floor((now - 40 * 7 * 60_000 - OLDER * 60_000) / 1000) * 1000;
  older = Array.from({ length: OLDER }, (_, i) => ({ text: `older ${i}`, date: start + i * 60_000 }));
  for (const o of older) w.sim.receive(alice, { from: ALICE.handle, text: o.text, date: new Date(o.date) });
  seeded = seedHistory(w.sim, alice, ALICE.handle, now);
});

after(async () => {
  child?.kill('SIGKILL');
  await w?.close();
});

async function startRun(): Promise<ChildProcess> {
  const c = spawn(process.execPath, [BIN, 'run', '--config', w.configFile], { env: { ...process.env, LOG_LEVEL: 'info', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const seen = (d: Buffer): void => { out += d.toString(); if (out.includes('Matrix connector started')) resolve(); };
    c.stdout!.on('data', seen);
    c.stderr!.on('data', seen);
    c.once('exit', (code) => reject(new Error(`imessage-bridge run exited early (${code}): ${out.slice(-2000)}`)));
  });
  return c;
}

const stopWith = async (c: ChildProcess, signal: NodeJS.Signals): Promise<void> => {
  const exited = new Promise((r) => c.once('exit', r));
  c.kill(signal);
  await exited;
};

const lines = async (room: string): Promise<SeenEvent[]> => (await w.timeline(room)).filter((e) => e.type === 'm.room.message');

const until = <T>(f: () => Promise<T | false>, what: string, ms = 60_000): Promise<T> => waitFor(what, f, { timeoutMs: ms, intervalMs: 100 });

test('SIGKILL mid-backfill on Synapse: history complete, once each, in order, original times, then the live row', { timeout: 240_000 }, async (t) => {
  child = await startRun();
  w.sim.receive(alice, { from: ALICE.handle, text: 'live from alice' });
  const room = await w.roomNamed(ALICE.name);
  await until(async () => (await lines(room)).length >= 5 || false, 'history to start landing');
  await stopWith(child, 'SIGKILL');
  const first = (await lines(room)).length;
  assert.ok(first < TOTAL, `killed mid-backfill (${first} of ${TOTAL} landed)`);

  child = await startRun();
  await until(async () => (await lines(room)).length >= first + 5 || false, 'history to go on');
  await stopWith(child, 'SIGKILL');
  const second = (await lines(room)).length;
  t.diagnostic(`killed at ${first} and ${second} of ${TOTAL} history lines`);

  child = await startRun();
  await until(async () => (await lines(room)).some((e) => e.content.body === 'live from alice') || false, 'the live row', 120_000);
  await stopWith(child, 'SIGTERM'); // drains what is in flight: a double would be posted by now
  child = null;

  const all = await lines(room);
  const expected = [...older.map((o) => o.text), ...seeded.texts.map((x, i) => (i === EDITED ? `${x} (edited)` : i === UNSENT ? '(unsent)' : x))];
  const bodies = all.map((e) => String(e.content.body).replace(/^\[[^\]]+\] /, ''));
  assert.deepEqual(bodies.filter((b, i) => bodies.indexOf(b) !== i), [], 'nothing posted twice');
  assert.deepEqual(bodies, [...expected, 'live from alice']);
  const dates = [...older.map((o) => o.date), ...seeded.dates];
  all.slice(0, TOTAL).forEach((e, i) => {
    if (e.sender === w.ghost(ALICE.handle)) assert.equal((e as SeenEvent & { origin_server_ts: number }).origin_server_ts, dates[i], `line ${i} at its original time`);
  });
});
