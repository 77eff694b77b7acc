// Discord relay benchmarks against the local Discord, through the real
// connector and unmodified discord.js:
//  - relay latency, from the moment an event is handed to the connector (the
//    core does this right after the chat.db commit is read) to the local
//    Discord storing the message: p50/p99 over 1,000 messages;
//  - backlog drain: 1,000 queued messages in one chat (one webhook bucket, the
//    slowest case) as a fraction of the configured rate limit, and how many were lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openBridgeDb } from '../src/core/db/bridgeDb.ts';
import { discordSection } from '../src/config/sections/discord.ts';
import { createDiscordConnector } from '../src/connectors/discord/index.ts';
import { LocalDiscord } from '../test/support/discord/localDiscord.ts';
import { FakeCore, directChat, imsg, messageEvent } from '../test/support/discord/fixtures.ts';
import type { RateLimitConfig } from '../test/support/discord/rateLimits.ts';

const N = Number(process.env.DISCORD_BENCH_N ?? 1000);

async function setup(rateLimits: RateLimitConfig) {
  const dir = mkdtempSync(join(tmpdir(), 'discord-bench-'));
  const discord = await LocalDiscord.start({ rateLimits });
  const db = openBridgeDb(join(dir, 'bridge.db'));
  const cfg = discordSection.parse({ token: discord.token, guild_id: discord.guildId, api_url: discord.apiUrl, auto_mirror: 'all' });
  const connector = createDiscordConnector(cfg, { db, displayName: (h) => h, status: async () => ({}), log: pino({ level: 'silent' }), downloadDir: join(dir, 'dl') });
  await connector.start(new FakeCore());
  return { discord, connector, close: async () => { await connector.stop(); db.close(); await discord.close(); rmSync(dir, { recursive: true, force: true }); } };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

async function latency(): Promise<void> {
  const s = await setup({ webhook: { limit: 1000, windowMs: 1000 } });
  const chat = directChat('+15550001111');
  const sentAt = new Map<string, number>();
  const took: number[] = [];
  s.discord.onMessageCreated((m) => { const t0 = sentAt.get(m.content); if (t0 !== undefined) took.push(performance.now() - t0); });
  await s.connector.deliver(messageEvent(chat, imsg(chat, { text: 'warm-up' })));
  // A steady stream at 40/s: below discord.js's 50 req/s global cap, so this is latency, not queueing.
  for (let i = 0; i < N; i++) {
    const text = `latency ${i}`;
    const started = performance.now();
    sentAt.set(text, started);
    await s.connector.deliver(messageEvent(chat, imsg(chat, { text })));
    const wait = 25 - (performance.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  took.sort((a, b) => a - b);
  console.log(`discord_relay_p50_ms ${pct(took, 0.5).toFixed(2)} ms`);
  console.log(`discord_relay_p99_ms ${pct(took, 0.99).toFixed(2)} ms`);
  await s.close();
}

async function drain(): Promise<void> {
  const limit = { limit: 40, windowMs: 1000 };
  const s = await setup({ webhook: limit });
  const chat = directChat('+15550002222');
  await s.connector.deliver(messageEvent(chat, imsg(chat, { text: 'opening' })));
  await new Promise((r) => setTimeout(r, limit.windowMs + 100)); // start with a fresh window
  const events = Array.from({ length: N }, (_, i) => messageEvent(chat, imsg(chat, { text: `backlog ${i}` })));
  const started = performance.now();
  for (const e of events) await s.connector.deliver(e);
  const seconds = (performance.now() - started) / 1000;
  const channel = s.discord.channels().find((c) => c.topic === 'iMessage with +15550002222')!;
  const got = s.discord.view(channel.id).map((m) => m.content).filter((t) => t.startsWith('backlog '));
  const expected = new Set(events.map((_, i) => `backlog ${i}`));
  const lost = [...expected].filter((t) => !got.includes(t)).length;
  const inOrder = got.every((t, i) => t === `backlog ${i}`);
  const ceiling = limit.limit / (limit.windowMs / 1000);
  console.log(`discord_drain_rate ${(N / seconds).toFixed(1)} msg/s`);
  console.log(`discord_drain_limit ${ceiling.toFixed(1)} msg/s`);
  console.log(`discord_drain_fraction_of_limit ${(N / seconds / ceiling).toFixed(3)} ratio`);
  console.log(`discord_drain_lost ${lost} messages`);
  console.log(`discord_drain_in_order ${inOrder ? 1 : 0} bool`);
  console.log(`discord_drain_429s ${s.discord.limiter.rejected.webhook} responses`);
  await s.close();
}

await latency();
await drain();
