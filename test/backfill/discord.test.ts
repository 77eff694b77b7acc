// Backfill story on Discord: the Messages simulator → the bridge → the local
// Discord. A chat with 30 earlier messages (a tapback, an edit, an unsend)
// gets a channel that starts with its history, in order, each line with its
// original time, then the live row; another chat's live row is not held up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { MessagesSimulator, SimChat } from '../../src/sim/simulator.ts';
import type { LocalDiscord } from '../support/discord/localDiscord.ts';
import { waitFor } from '../support/discord/botClient.ts';
import { EDITED, HISTORY, TAPPED, UNSENT, seedHistory, type Seeded } from './support.ts';
import { startDiscordWorld, TIME, type DiscordWorld } from './discordWorld.ts';

const JANE = '+15550001111';
/** Edited while the bridge runs, just after the live row that opens the channel. */
const EDITED_LIVE = 20;
const BOB = '+15550002222';
let world: DiscordWorld<void>;
let sim: MessagesSimulator;
let discord: LocalDiscord;
let jane: SimChat;
let bob: SimChat;
let seeded: Seeded;

before(async () => {
  world = await startDiscordWorld({
    prefix: 'backfill-discord',
    contacts: [{ first: 'Jane', last: 'Customer', phones: [JANE] }, { first: 'Bob', last: 'Other', phones: [BOB] }],
    seed: (s) => {
      sim = s;
      jane = sim.addChat({ participants: [JANE] });
      bob = sim.addChat({ participants: [BOB] });
      seeded = seedHistory(sim, jane, JANE);
    },
    localDiscord: { rateLimits: { webhook: { limit: 30, windowMs: 1000 } } },
    // Ten a second instead of Discord's thirty a minute: the same pacing, in test time.
    discord: { backfill: { posts_per_minute: 600 } },
  });
  ({ discord } = world);
});

after(async () => { await world?.close(); });


test('a new channel starts with the chat history, original times visible, then live rows; other chats flow meanwhile', { timeout: 90_000 }, async () => {
  sim.receive(jane, { from: JANE, text: 'live from jane' });
  // An edit right after the live row: read into the history planned for it, and reported as a change too.
  sim.edit(seeded.guids[EDITED_LIVE]!, 'earlier 20 (fixed just now)');
  const texts = seeded.texts.map((t, i) => (i === EDITED_LIVE ? 'earlier 20 (fixed just now)' : t));
  const channel = await waitFor(() => discord.channelByName('jane-customer'), 30_000, 'a channel for Jane');
  await waitFor(() => discord.view(channel.id).length >= 2, 30_000, 'history to start');
  sim.receive(bob, { from: BOB, text: 'live from bob' });
  const bobChannel = await waitFor(() => discord.channelByName('bob-other'), 30_000, 'a channel for Bob');
  await waitFor(() => discord.view(bobChannel.id).some((m) => m.content === 'live from bob'), 30_000, "Bob's live row");
  const janeSoFar = discord.view(channel.id).length;
  assert.ok(janeSoFar < HISTORY, `Bob's row arrived while Jane's history was still being posted (${janeSoFar} of ${HISTORY})`);

  await waitFor(() => discord.view(channel.id).some((m) => m.content === 'live from jane'), 60_000, "Jane's live row");
  // The edit's own event comes after the live row: a later row shows whether it was applied again.
  sim.receive(jane, { from: JANE, text: 'a row after the edit' });
  await waitFor(() => discord.view(channel.id).some((m) => m.content === 'a row after the edit'), 60_000, 'the later row');
  const shown = discord.view(channel.id);
  assert.equal(shown.length, HISTORY + 2, shown.map((m) => m.content).join('\n---\n'));
  const history = shown.slice(0, HISTORY).map((m) => {
    const [time = '', ...rest] = m.content.split('\n');
    const t = TIME.exec(time);
    assert.ok(t, `a time line first: ${JSON.stringify(m.content)}`);
    return { at: Number(t[1]) * 1000, edited: Boolean(t[2]), body: rest.filter((l) => !l.startsWith('-# ')).join('\n'), reactions: rest.filter((l) => l.startsWith('-# ')), username: m.username };
  });
  assert.deepEqual(history.map((h) => h.at), seeded.dates, 'original times, in order');
  assert.deepEqual(history.map((h) => h.body), texts.map((t, i) => (i === UNSENT ? '*(unsent)*' : t)), 'the edit made just before shows once, the line keeps its time');
  assert.deepEqual(history.map((h, i) => [i, h.username]), history.map((_, i) => [i, i % 3 === 2 ? 'Me' : 'Jane Customer']));
  assert.deepEqual(history[TAPPED]!.reactions, ['-# ❤️ Me']);
  assert.equal(history.filter((h) => h.reactions.length > 0).length, 1, 'the tapback is folded into its target, not a line');
  assert.deepEqual(history.map((h, i) => [i, h.edited]).filter(([, e]) => e), [[EDITED, true], [EDITED_LIVE, true]]);
  assert.equal(shown[HISTORY]!.content, 'live from jane', 'the live row right after the history, as a live row');
  assert.equal(discord.limiter.rejected.webhook, 0, 'paced under the webhook limit');
});
