// Backfill progress where people look: `/imessage status` in Discord and the
// API's /metrics (a gauge per connector, read over HTTP with a read token),
// while a paced history is being posted, and back to nothing when it is done.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBridge } from '../../src/daemon.ts';
import { TokenStore } from '../../src/api/tokens.ts';
import type { MessagesSimulator, SimChat } from '../../src/sim/simulator.ts';
import type { LocalDiscord } from '../support/discord/localDiscord.ts';
import { waitFor } from '../support/discord/botClient.ts';
import type { Interaction } from '../support/discord/types.ts';
import { HISTORY, seedHistory } from './support.ts';
import { startDiscordWorld, type DiscordWorld } from './discordWorld.ts';

const JANE = '+15550001111';
let world: DiscordWorld<SimChat>;
let sim: MessagesSimulator;
let discord: LocalDiscord;
let bridge: RunningBridge;
let jane: SimChat;

before(async () => {
  world = await startDiscordWorld({
    prefix: 'backfill-vis',
    seed: (s) => { const chat = s.addChat({ participants: [JANE] }); seedHistory(s, chat, JANE); return chat; },
    // Two a second: the 30 lines take about 15 s, long enough to look at.
    discord: { backfill: { posts_per_minute: 120 } },
    api: true,
  });
  ({ sim, discord, bridge, seeded: jane } = world);
});

after(async () => { await world?.close(); });

const answer = (i: Interaction): Promise<string> => waitFor(() => {
  const last = i.responses.at(-1);
  return last && last.type !== 5 ? String(last.data?.content ?? '') : undefined;
}, 15_000, 'the /imessage status answer');

async function gauge(token: string): Promise<number | null> {
  const r = await fetch(`${world.apiUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  const m = /^imb_backfill_pending_messages\{connector="discord"\} (\d+)$/m.exec(await r.text());
  return m ? Number(m[1]) : null;
}

test('backfill progress shows in /imessage status and as a /metrics gauge, then clears', { timeout: 120_000 }, async () => {
  const { token } = new TokenStore(bridge.db).create(['read'], 'metrics');
  assert.equal(await gauge(token), null, 'no series before any backfill');
  const agent = discord.addUser('agent');
  sim.receive(jane, { from: JANE, text: 'live from jane' });
  const channel = await waitFor(() => discord.channels().find((c) => c.type === 0 && discord.view(c.id).length > 0), 30_000, 'the new channel');

  const during = await waitFor(async () => { const n = await gauge(token); return n !== null && n > 0 && n < HISTORY ? n : undefined; }, 30_000, 'the gauge mid-backfill');
  assert.ok(during > 0 && during < HISTORY, `pending ${during}`);
  const status = await answer(discord.slash(agent, channel.id, 'imessage', 'status'));
  const line = /^backfill: discord \+15550001111 (\d+)\/30 \(new portal\)$/m.exec(status);
  assert.ok(line, status);
  assert.ok(Number(line[1]) > 0 && Number(line[1]) < HISTORY, `posted ${line[1]} of 30 so far`);

  await waitFor(() => discord.view(channel.id).some((m) => m.content === 'live from jane'), 60_000, 'the live row after the history');
  assert.equal(await gauge(token), 0, 'nothing pending once posted');
  assert.match(await answer(discord.slash(agent, channel.id, 'imessage', 'status')), /^backfill: none running$/m);
});
