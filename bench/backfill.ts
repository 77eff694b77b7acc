// Time for a new Discord channel to receive a 50-message history on the local
// Discord (test/support/discord), from the live row that opens the portal to
// the live row arriving after the history. At Discord's pace (about 30 posts a
// minute per channel, discord.backfill.posts_per_minute) this is pacing-bound;
// PACE=… changes the pace, e.g. PACE=6000 shows the bridge's own overhead.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startBridge } from '../src/daemon.ts';
import { configSchema } from '../src/config/schema.ts';
import { connectorsFromConfig } from '../src/connectors/index.ts';
import { MessagesSimulator } from '../src/sim/simulator.ts';
import { LocalDiscord } from '../test/support/discord/localDiscord.ts';

const N = Number(process.env.N ?? 50);
const PACE = Number(process.env.PACE ?? 30);
const base = mkdtempSync(join(tmpdir(), 'bench-backfill-'));
mkdirSync(join(base, 'contacts'));
const sim = MessagesSimulator.create({ dir: join(base, 'sim') });
const chat = sim.addChat({ participants: ['+15550001111'] });
for (let i = 0; i < N; i++) sim.receive(chat, { from: '+15550001111', text: `earlier ${i}`, date: new Date(Date.now() - (N + 1 - i) * 60_000) });
const discord = await LocalDiscord.start({ enforceRateLimits: true });
const config = configSchema.parse({
  imessage: { chat_db: sim.dbPath, poll_interval_ms: 200, debounce_ms: 20, contacts_dir: join(base, 'contacts') },
  bridge: { database: join(base, 'bridge.db'), backfill: { messages: N } },
  discord: { token: discord.token, guild_id: discord.guildId, api_url: discord.apiUrl, auto_mirror: 'all', backfill: { posts_per_minute: PACE } },
});
const bridge = await startBridge({
  config, handleSignals: false, log: pino({ level: 'silent' }),
  sender: { send: async () => { throw new Error('no sends'); } },
  connectors: (deps) => connectorsFromConfig(config, deps),
});
const started = Date.now();
sim.receive(chat, { from: '+15550001111', text: 'live' });
let firstAt = 0;
for (;;) {
  const channel = discord.channels().find((c) => c.type === 0 && discord.view(c.id).length > 0);
  const shown = channel ? discord.view(channel.id) : [];
  if (shown.length > 0 && firstAt === 0) firstAt = Date.now();
  if (shown.some((m) => m.content === 'live')) break;
  await new Promise((r) => setTimeout(r, 50));
}
const seconds = (Date.now() - started) / 1000;
console.log(`backfill of ${N} messages on the local Discord at ${PACE} posts/min: ${seconds.toFixed(1)} s to the live row (first line after ${((firstAt - started) / 1000).toFixed(1)} s; pace floor ${((N - 1) * 60 / PACE).toFixed(1)} s)`);
console.log(`rate-limited responses: ${discord.limiter.rejected.webhook}`);
await bridge.stop();
sim.close({ pending: 'drop' });
await discord.close();
rmSync(base, { recursive: true, force: true });
