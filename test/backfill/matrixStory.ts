// The Matrix backfill story, told the same way in both modes: a chat with 30
// earlier messages (a tapback, an edit, an unsend, and one more edit made
// while the bridge runs, inside the watcher's change window) gets a room that
// starts with its history, in order, with original times, then the live row;
// another chat's live row is not held up behind it.
import { OWN_LABEL } from '../../src/core/presentation/index.ts';
import assert from 'node:assert/strict';
import { startBridge, type RunningBridge } from '../../src/daemon.ts';
import { configSchema } from '../../src/config/schema.ts';
import { connectorsFromConfig } from '../../src/connectors/index.ts';
import { historyTime } from '../../src/connectors/matrix/history.ts';
import type { SimChat } from '../../src/sim/simulator.ts';
import { pino } from 'pino';
import type { SeenEvent } from '../support/synapse/elementUser.ts';
import { ALICE, BOB, type MatrixWorld } from './matrixWorld.ts';
import { cli } from './cliRun.ts';
import { EDITED, HISTORY, TAPPED, UNSENT, seedHistory, type Seeded } from './support.ts';
import { waitFor } from '../support/waitFor.ts';

/** Edited while the bridge runs, just before the live row: folded into the history, and not applied again. */
export const EDITED_LIVE = 20;

export interface Setup { alice: SimChat; bob: SimChat; seeded: Seeded }

export function seedWorld(w: MatrixWorld): Setup {
  const alice = w.sim.addChat({ participants: [ALICE.handle] });
  const bob = w.sim.addChat({ participants: [BOB.handle] });
  const seeded = seedHistory(w.sim, alice, ALICE.handle);
  return { alice, bob, seeded };
}

export async function startInProcess(w: MatrixWorld): Promise<RunningBridge> {
  const config = configSchema.parse(w.raw);
  return startBridge({
    config, handleSignals: false, log: pino({ level: process.env.MX_LIVE_LOG ?? 'silent' }),
    sender: { send: async () => { throw new Error('no sends in this story'); } },
    connectors: (deps) => connectorsFromConfig(config, deps),
  });
}

const isLine = (e: SeenEvent): boolean => e.type === 'm.room.message';
type Rel = { rel_type?: string; event_id?: string; key?: string };
const rel = (e: SeenEvent): Rel | undefined => e.content['m.relates_to'] as Rel | undefined;
const ts = (e: SeenEvent): number => (e as SeenEvent & { origin_server_ts: number }).origin_server_ts;

const until = <T>(f: () => Promise<T | null | undefined | false>, what: string, ms = 60_000): Promise<T> => waitFor(what, f, { timeoutMs: ms, intervalMs: 100 });

/** The history lines of a room (its messages up to the live one) once the live row is there. */
export async function roomWithHistory(w: MatrixWorld, room: string, live: string): Promise<{ all: SeenEvent[]; lines: SeenEvent[] }> {
  const all = await until(async () => {
    const t = await w.timeline(room);
    return t.some((e) => isLine(e) && String(e.content.body).endsWith(live)) ? t : null;
  }, `"${live}" in the room`);
  return { all, lines: all.filter((e) => isLine(e) && rel(e)?.rel_type !== 'm.replace') };
}

export async function backfillStory(w: MatrixWorld, s: Setup): Promise<void> {
  const { alice, bob, seeded } = s;
  const mine = (i: number): boolean => i % 3 === 2;
  // Right after the live row, an edit of an earlier line: the history planned for the live row
  // already reads it (chat.db has it by then), and the watcher reports it as a change as well.
  w.sim.receive(alice, { from: ALICE.handle, text: 'live from alice' });
  w.sim.edit(seeded.guids[EDITED_LIVE]!, 'earlier 20 (fixed just now)');
  const texts = seeded.texts.map((t, i) => (i === EDITED_LIVE ? 'earlier 20 (fixed just now)' : t));
  w.sim.receive(bob, { from: BOB.handle, text: 'live from bob' });

  const t0 = Date.now();
  const lap = (what: string): void => { if (process.env.BACKFILL_TRACE) console.error(`${what} +${Date.now() - t0}ms`); };
  const aliceRoom = await w.roomNamed(ALICE.name);
  lap('alice room');
  const bobRoom = await w.roomNamed(BOB.name);
  lap('bob room');
  const bobLive = await w.owner.waitFor((e) => e.room_id === bobRoom && isLine(e) && String(e.content.body).endsWith('live from bob'), "Bob's live row", 60_000);
  lap('bob live');
  await roomWithHistory(w, aliceRoom, 'live from alice');
  lap('alice history');
  // The edit's own event comes after the live row: a later row shows whether it was applied again.
  w.sim.receive(alice, { from: ALICE.handle, text: 'a row after the edit' });
  const { all, lines } = await roomWithHistory(w, aliceRoom, 'a row after the edit');

  assert.equal(lines.length, HISTORY + 2, lines.map((e) => e.content.body).join('\n'));
  const history = lines.slice(0, HISTORY);
  const liveRow = lines[HISTORY]!;
  assert.ok(String(liveRow.content.body).endsWith('live from alice'), 'the live row comes right after the history');

  // Another chat is not held up: Bob's row was seen no later than Alice's last history line.
  const aliceLast = w.owner.seenAt.get(history.at(-1)!.event_id);
  const bobSeen = w.owner.seenAt.get(bobLive.event_id)!;
  assert.ok(aliceLast !== undefined, "the owner's sync saw Alice's last history line");
  assert.ok(bobSeen <= aliceLast + 50, `Bob's row (${bobSeen}) waited for Alice's history (done ${aliceLast})`);

  const expected = texts.map((t, i) => (i === UNSENT ? '(unsent)' : t) + (i === EDITED || i === EDITED_LIVE ? ' (edited)' : ''));
  if (w.mode === 'appservice') {
    // Ghost lines carry their original time as origin_server_ts; the owner's own lines
    // (double puppet, a user token: the homeserver won't take `ts` from it) show it in the line.
    history.forEach((e, i) => {
      if (mine(i)) {
        assert.equal(e.sender, w.owner.userId, `line ${i} is the owner's own, double-puppeted`);
        assert.equal(e.content.body, `[${historyTime(seeded.dates[i]!)}] ${expected[i]}`, `line ${i}`);
      } else {
        assert.equal(e.sender, w.ghost(ALICE.handle), `line ${i} is Alice's ghost`);
        assert.equal(ts(e), seeded.dates[i], `line ${i}: origin_server_ts is the original time`);
        assert.equal(e.content.body, expected[i], `line ${i}`);
      }
    });
    assert.ok(ts(liveRow) > seeded.dates.at(-1)!, 'the live row has its own (current) time');
    const hearts = all.filter((e) => e.type === 'm.reaction');
    assert.deepEqual(hearts.map((e) => [rel(e)?.event_id, rel(e)?.key, e.sender]), [[history[TAPPED]!.event_id, '❤️', w.owner.userId]], 'the tapback is a reaction on its target');
  } else {
    history.forEach((e, i) => {
      const who = mine(i) ? OWN_LABEL : ALICE.name;
      const hearts = i === TAPPED ? '\n❤️ You' : '';
      assert.equal(e.content.body, `[${historyTime(seeded.dates[i]!)}] ${who}: ${expected[i]}${hearts}`, `line ${i}`);
    });
    assert.equal(new Set(history.map((e) => e.sender)).size, 1, 'one bot account posts every line');
    assert.deepEqual(all.filter((e) => e.type === 'm.reaction'), [], 'the tapback is folded into its line, not a reaction');
  }
  const times = history.map((e) => /^\[([^\]]+)\]/.exec(String(e.content.body))?.[1] ?? historyTime(ts(e)));
  assert.deepEqual(times, seeded.dates.map((d) => historyTime(d)), 'original times, oldest first');
  assert.deepEqual(all.filter((e) => rel(e)?.rel_type === 'm.replace'), [], 'edits are folded into their line and never applied twice');
  assert.equal(all.filter((e) => e.type === 'm.room.redaction').length, 0, 'the unsent line is a placeholder, not a redaction');
}

/**
 * `imessage-bridge backfill` on a chat that has a room: Matrix can't insert
 * earlier events, so the CLI explains and offers --recreate; with it, a new
 * room starts with the last N messages and the old room points to it.
 */
export async function recreateStory(w: MatrixWorld, s: Setup): Promise<void> {
  const oldRoom = await w.roomNamed(ALICE.name);
  const explained = await cli(['backfill', ALICE.handle, '--config', w.configFile]);
  assert.equal(explained.code, 0, explained.stderr);
  assert.match(explained.stdout, /Matrix can't insert messages before ones a room already has, so its history can only go into a new room/);
  assert.match(explained.stdout, /--connector matrix --recreate/);

  const r = await cli(['backfill', ALICE.handle, '--messages', '10', '--connector', 'matrix', '--recreate', '--config', w.configFile]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /matrix: .* has a new room with its last 10 messages; the old room points to it\./);
  const tomb = await until(async () => (await w.owner.state<{ replacement_room?: string }>(oldRoom, 'm.room.tombstone').catch(() => null))?.replacement_room, 'the old room to point to the new one');
  assert.notEqual(tomb, oldRoom);
  await w.owner.join(tomb).catch(() => undefined); // bot mode: accept the invite like Element would
  const { lines } = await roomWithHistory(w, tomb, 'a row after the edit');
  const texts = s.seeded.texts.map((t, i) => (i === EDITED_LIVE ? 'earlier 20 (fixed just now)' : t));
  const tail = [...texts.slice(HISTORY - 8), 'live from alice', 'a row after the edit'];
  assert.deepEqual(lines.map((e) => String(e.content.body).replace(/^\[[^\]]+\] /, '').replace(/^[^:]+: /, '').replace(/ \(edited\)$/, '')), tail, 'the new room starts with the last 10 messages, in order');
  const name = await w.owner.state<{ name: string }>(tomb, 'm.room.name');
  assert.equal(name.name, ALICE.name);
}

/** The management room's `!imessage status` has the backfill line. */
export async function managementStatus(w: MatrixWorld): Promise<void> {
  const mgmt = await w.roomNamed('iMessage bridge');
  const cmd = await w.owner.send(mgmt, { msgtype: 'm.text', body: '!imessage status' });
  const reply = await w.owner.waitFor((e) => e.room_id === mgmt && (e.content['m.relates_to'] as { 'm.in_reply_to'?: { event_id: string } } | undefined)?.['m.in_reply_to']?.event_id === cmd, 'the status reply');
  assert.match(String(reply.content.body), /^backfill: none running$/m);
}
