// `imessage-bridge backfill` through the CLI, against a running bridge and the
// local Discord: a channel that started empty (backfill off at the time) gets
// its missing history in an "Earlier messages" thread, in order with original
// times, once; bad input is refused with a reason and changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBridge } from '../../src/daemon.ts';
import type { MessagesSimulator, SimChat } from '../../src/sim/simulator.ts';
import type { LocalDiscord } from '../support/discord/localDiscord.ts';
import { waitFor } from '../support/discord/botClient.ts';
import { spawn } from 'node:child_process';
import { BIN, cli } from './cliRun.ts';
import { EDITED, HISTORY, TAPPED, UNSENT, seedHistory, type Seeded } from './support.ts';
import { startDiscordWorld, TIME, type DiscordWorld } from './discordWorld.ts';

const JANE = '+15550001111';
const BOB = '+15550002222';
const CAROL = '+15550003333';
let configFile = '';
let sim: MessagesSimulator;
let discord: LocalDiscord;
let bridge: RunningBridge;
let jane: SimChat;
let bob: SimChat;
let carol: SimChat;
let seeded: Seeded;

let world: DiscordWorld<void>;

before(async () => {
  world = await startDiscordWorld({
    prefix: 'backfill-cli',
    seed: (s) => {
      sim = s;
      jane = sim.addChat({ participants: [JANE] });
      seeded = seedHistory(sim, jane, JANE);
      bob = sim.addChat({ participants: [BOB] });
      carol = sim.addChat({ participants: [CAROL] });
      for (let i = 0; i < 3; i++) sim.receive(carol, { from: CAROL, text: `carol earlier ${i}`, date: new Date(Date.now() - (10 - i) * 60_000) });
      for (let i = 0; i < 5; i++) sim.receive(bob, { from: BOB, text: `bob earlier ${i}`, date: new Date(Date.now() - (10 - i) * 60_000) });
    },
    localDiscord: { rateLimits: { webhook: { limit: 30, windowMs: 1000 } } },
    // Off when the channel was made: it starts with the live row only.
    bridge: { backfill: { messages: 0 } },
    discord: { backfill: { posts_per_minute: 600 } },
  });
  ({ discord, configFile, bridge } = world);
});

const boot = (): Promise<RunningBridge> => world.boot();

after(async () => { await world?.close(); });


test('backfill <chat> on Discord: the missing history in an "Earlier messages" thread, once', { timeout: 120_000 }, async () => {
  sim.receive(jane, { from: JANE, text: 'live from jane' });
  const channel = await waitFor(() => discord.channelByName(JANE.replace('+', '')) ?? discord.channels().find((c) => c.type === 0 && discord.view(c.id).some((m) => m.content === 'live from jane')), 30_000, 'a channel for Jane');
  await waitFor(() => discord.view(channel.id).some((m) => m.content === 'live from jane'), 30_000, 'the live row');
  assert.equal(discord.view(channel.id).length, 1, 'backfill was off: the channel starts with the live row');

  // The last 31 lines: the live row it shows, and the 30 before it.
  const r = await cli(['backfill', '(555) 000-1111', '--messages', '31', '--config', configFile]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /discord: posted 30 earlier messages of .* in the thread "Earlier messages"\./);

  const [thread, ...others] = discord.threadsOf(channel.id);
  assert.ok(thread, 'a thread beside the channel');
  assert.deepEqual(others, [], 'one thread');
  assert.equal(thread.name, 'Earlier messages');
  const shown = discord.view(thread.id);
  assert.equal(shown.length, HISTORY, shown.map((m) => m.content).join('\n---\n'));
  const lines = shown.map((m) => {
    const [time = '', ...rest] = m.content.split('\n');
    const t = TIME.exec(time);
    assert.ok(t, `a time line first: ${JSON.stringify(m.content)}`);
    return { at: Number(t[1]) * 1000, edited: Boolean(t[2]), body: rest.filter((l) => !l.startsWith('-# ')).join('\n'), reactions: rest.filter((l) => l.startsWith('-# ')) };
  });
  assert.deepEqual(lines.map((l) => l.at), seeded.dates, 'original times, oldest first');
  assert.deepEqual(lines.map((l) => l.body), seeded.texts.map((t, i) => (i === UNSENT ? '*(unsent)*' : t)));
  assert.deepEqual(lines[TAPPED]!.reactions, ['-# ❤️ Me']);
  assert.equal(lines[EDITED]!.edited, true);
  assert.equal(discord.view(channel.id).length, 1, 'the channel itself is unchanged');

  // Everything is shown now: a second run adds nothing, and says so.
  const again = await cli(['backfill', JANE, '--messages', '31', '--config', configFile]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /already shows its last 31 messages; nothing to add/);
  assert.equal(discord.threadsOf(channel.id).length, 1);
  assert.equal(discord.view(thread.id).length, HISTORY);
});

test('backfill refuses bad input with a reason, and queues nothing', { timeout: 60_000 }, async () => {
  const bad = await cli(['backfill', JANE, '--messages', 'lots', '--config', configFile]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--messages must be a whole number from 1 to 10000, not "lots"/);
  const nobody = await cli(['backfill', '+15559998888', '--config', configFile]);
  assert.equal(nobody.code, 1);
  assert.match(nobody.stderr, /No chat in chat.db matches "\+15559998888"/);
  const wrong = await cli(['backfill', JANE, '--connector', 'matrix', '--config', configFile]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /The matrix connector is not configured/);
  const runs = bridge.core.backfill.runs;
  assert.deepEqual(runs.active(), [], 'nothing queued by refused commands');
});

test('on a terminal, backfill shows a progress bar', { timeout: 90_000 }, async () => {
  sim.receive(bob, { from: BOB, text: 'live from bob' });
  const channel = await waitFor(() => discord.channels().find((c) => c.type === 0 && discord.view(c.id).some((m) => m.content === 'live from bob')), 30_000, "Bob's channel");
  const cmd = `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} backfill ${BOB} --messages 6 --config ${JSON.stringify(configFile)}`;
  // A real pseudo-terminal (util-linux script), as a person runs it.
  const out = await new Promise<string>((resolve) => {
    const c = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let text = '';
    c.stdout.on('data', (d: Buffer) => { text += d.toString(); });
    c.stderr.on('data', (d: Buffer) => { text += d.toString(); });
    c.on('close', () => resolve(text));
  });
  // eslint-disable-next-line no-control-regex
  const text = out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  assert.match(text, /discord\s*\|[█░]+\| 5\/5 messages/, text);
  assert.match(text, /discord: posted 5 earlier messages of \+15550002222 in the thread "Earlier messages"\./);
  const [thread] = discord.threadsOf(channel.id);
  assert.deepEqual(discord.view(thread!.id).map((m) => m.content.split('\n').at(-1)), [0, 1, 2, 3, 4].map((i) => `bob earlier ${i}`));
});

test('with the bridge stopped, backfill says nothing was posted yet; the queued history is posted when it runs again', { timeout: 90_000 }, async () => {
  sim.receive(carol, { from: CAROL, text: 'live from carol' });
  const channel = await waitFor(() => discord.channels().find((c) => c.type === 0 && discord.view(c.id).some((m) => m.content === 'live from carol')), 30_000, "Carol's channel");
  await bridge.stop();
  const r = await cli(['backfill', CAROL, '--messages', '4', '--timeout', '2', '--config', configFile]);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stderr, /The history is queued, but nothing was posted for a while\./);
  assert.match(r.stderr, /Is the bridge running .*nothing is lost/);
  assert.deepEqual(discord.threadsOf(channel.id), [], 'nothing posted while the bridge is down');
  bridge = await boot();
  const thread = await waitFor(() => discord.threadsOf(channel.id)[0], 30_000, 'the "Earlier messages" thread once the bridge runs');
  await waitFor(() => discord.view(thread.id).length === 3 || undefined, 30_000, 'the three earlier lines');
  assert.deepEqual(discord.view(thread.id).map((m) => m.content.split('\n').at(-1)), ['carol earlier 0', 'carol earlier 1', 'carol earlier 2']);
});
