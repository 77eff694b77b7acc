// Discord relay benchmarks, live: the Messages simulator → the bridge core →
// the Discord connector (unmodified discord.js) → the local Discord.
//  - relay latency from the chat.db commit to the local Discord storing the
//    message, p50/p99 over 1,000 messages (a steady stream, file events on);
//  - backlog drain: 1,000 messages committed at once into one chat (one webhook
//    bucket, the slowest case), drained as a fraction of the configured rate
//    limit, and how many were lost or out of order.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startBridge } from '../src/daemon.ts';
import { configSchema } from '../src/config/schema.ts';
import { createDiscordConnector } from '../src/connectors/discord/index.ts';
import { MessagesSimulator } from '../src/sim/simulator.ts';
import { LocalDiscord } from '../test/support/discord/localDiscord.ts';
import type { RateLimitConfig } from '../test/support/discord/rateLimits.ts';

const N = Number(process.env.DISCORD_BENCH_N ?? 1000);
const HANDLE = '+15550001111';

async function live(rateLimits: RateLimitConfig) {
  const base = mkdtempSync(join(tmpdir(), 'discord-bench-'));
  mkdirSync(join(base, 'dl'));
  const sim = MessagesSimulator.create({ dir: join(base, 'sim') });
  const chat = sim.addChat({ participants: [HANDLE] });
  const discord = await LocalDiscord.start({ rateLimits });
  const config = configSchema.parse({
    imessage: { chat_db: sim.dbPath, poll_interval_ms: 500, debounce_ms: 5 },
    bridge: { database: join(base, 'bridge.db') },
    discord: { token: discord.token, guild_id: discord.guildId, api_url: discord.apiUrl, auto_mirror: 'all' },
  });
  const log = pino({ level: 'silent' });
  const bridge = await startBridge({
    config, handleSignals: false, log,
    connectors: ({ kits }) => [createDiscordConnector(config.discord!, { kits, displayName: (h) => h, status: async () => ({}), log, downloadDir: join(base, 'dl') })],
  });
  const close = async () => { await bridge.stop(); sim.close({ pending: 'drop' }); await discord.close(); rmSync(base, { recursive: true, force: true }); };
  return { sim, chat, discord, close };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
const until = async (cond: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!cond()) { if (Date.now() > end) throw new Error('bench timed out'); await new Promise((r) => setTimeout(r, 5)); }
};

async function latency(): Promise<void> {
  const s = await live({ webhook: { limit: 1000, windowMs: 1000 } });
  const committedAt = new Map<string, number>();
  const took: number[] = [];
  s.discord.onMessageCreated((m) => { const t0 = committedAt.get(m.content); if (t0 !== undefined) took.push(performance.now() - t0); });
  s.sim.receive(s.chat, { from: HANDLE, text: 'warm-up' });
  await until(() => s.discord.channels().some((c) => s.discord.view(c.id).some((m) => m.content === 'warm-up')), 30_000);
  // A steady stream of 25/s: below discord.js's 50 req/s global cap, so this is latency, not queueing.
  for (let i = 0; i < N; i++) {
    const text = `latency ${i}`;
    s.sim.receive(s.chat, { from: HANDLE, text });
    committedAt.set(text, performance.now()); // receive() returns once the row is committed
    await new Promise((r) => setTimeout(r, 40));
  }
  await until(() => took.length >= N, 60_000);
  took.sort((a, b) => a - b);
  console.log(`discord_relay_p50_ms ${pct(took, 0.5).toFixed(1)} ms`);
  console.log(`discord_relay_p99_ms ${pct(took, 0.99).toFixed(1)} ms`);
  await s.close();
}

async function drain(): Promise<void> {
  const limit = { limit: 40, windowMs: 1000 };
  const s = await live({ webhook: limit });
  s.sim.receive(s.chat, { from: HANDLE, text: 'opening' });
  await until(() => s.discord.channels().some((c) => s.discord.view(c.id).some((m) => m.content === 'opening')), 30_000);
  const arrivals: Array<{ text: string; at: number }> = [];
  s.discord.onMessageCreated((m) => { if (m.content.startsWith('backlog ')) arrivals.push({ text: m.content, at: performance.now() }); });
  await new Promise((r) => setTimeout(r, limit.windowMs + 100)); // start on a fresh window
  for (let i = 0; i < N; i++) s.sim.receive(s.chat, { from: HANDLE, text: `backlog ${i}` });
  const deadline = Date.now() + 5 * 60_000;
  let last = -1;
  while (arrivals.length < N && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2000));
    if (arrivals.length === last) break; // nothing moved for 2 s: whatever is missing is lost
    last = arrivals.length;
  }
  const first = arrivals[0]?.at ?? 0;
  const end = arrivals.at(-1)?.at ?? 0;
  // The first window's burst lands at once; measure the rate over the windows after it.
  const rate = (arrivals.length - 1) / ((end - first) / 1000);
  const ceiling = limit.limit / (limit.windowMs / 1000);
  const lost = N - new Set(arrivals.map((a) => a.text)).size;
  const inOrder = arrivals.every((a, i) => a.text === `backlog ${i}`);
  console.log(`discord_drain_rate ${rate.toFixed(1)} msg/s`);
  console.log(`discord_drain_limit ${ceiling.toFixed(1)} msg/s`);
  console.log(`discord_drain_fraction_of_limit ${(rate / ceiling).toFixed(3)} ratio`);
  console.log(`discord_drain_lost ${lost} messages`);
  console.log(`discord_drain_in_order ${inOrder ? 1 : 0} bool`);
  console.log(`discord_drain_429s ${s.discord.limiter.rejected.webhook} responses`);
  await s.close();
}

await latency();
await drain();
