// The connector contract (contract.ts) against Discord: the real daemon and
// core, the Discord connector, and the local Discord, seen as a Discord user.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startBridge } from '../../src/daemon.ts';
import { configSchema } from '../../src/config/schema.ts';
import { createDiscordConnector } from '../../src/connectors/discord/index.ts';
import { AppleScriptSender } from '../../src/imessage/send/index.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { fakeOsascriptEnv } from '../../src/sim/fakeOsascript/index.ts';
import { LocalDiscord } from '../support/discord/localDiscord.ts';
import { contractSuite, MIRRORS, type Side } from './contract.ts';
import { waitFor as sharedWaitFor } from '../support/waitFor.ts';

const FATES = new Set(['⏳', '✅', '❌', '❓']);

async function startDiscordSide(): Promise<Side> {
  const base = mkdtempSync(join(tmpdir(), 'contract-discord-'));
  const downloads = join(base, 'downloads');
  mkdirSync(downloads);
  const sim = MessagesSimulator.create({ dir: join(base, 'sim'), version: 'tahoe' });
  const discord = await LocalDiscord.start({ rateLimits: { webhook: { limit: 50, windowMs: 1000 } } });
  discord.addRole('agents');
  const users = { allowed: discord.addUser('alice', ['agents']), stranger: discord.addUser('mallory') };
  const config = configSchema.parse({
    imessage: { chat_db: sim.dbPath, poll_interval_ms: 200, debounce_ms: 20, send: { confirm_timeout_ms: 15_000, allowed_file_dirs: [downloads] } },
    bridge: { database: join(base, 'bridge.db') },
    discord: { token: discord.token, guild_id: discord.guildId, api_url: discord.apiUrl, allowed_roles: ['agents'], ...MIRRORS },
  });
  const sender = new AppleScriptSender({
    home: sim.home, timeoutMs: 20_000, allowedFileDirs: [downloads], maxFileBytes: 1 << 20, retryDelayMs: 20,
    env: fakeOsascriptEnv(sim.dir, { FAKE_OSASCRIPT_FLIP_MS: '30' }),
  });
  const bridge = await startBridge({
    config, sender, handleSignals: false, log: pino({ level: 'silent' }),
    connectors: ({ kits }) => [createDiscordConnector(config.discord!, { kits, displayName: (h) => h, log: pino({ level: 'silent' }), downloadDir: downloads, status: async () => ({}) })],
  });
  const message = (room: string, id: string) => discord.view(room).find((m) => m.id === id);
  const waitFor = <T>(what: string, check: () => T | undefined): Promise<T> => sharedWaitFor(what, check, { timeoutMs: 60_000, intervalMs: 50 });
  return {
    name: 'discord', sim, bridge,
    roomShowing: (text) => waitFor(`"${text}" in a channel`, () => {
      for (const c of discord.channels()) {
        const m = discord.view(c.id).find((x) => x.webhookId !== null && x.content.includes(text));
        if (m) return { room: c.id, id: m.id };
      }
      return undefined;
    }),
    rooms: () => discord.channels().filter((c) => discord.view(c.id).some((m) => m.webhookId !== null)).map((c) => c.id),
    post: async (who, room, text) => discord.post(users[who], room, text),
    notices: (room, id) => discord.view(room).filter((m) => m.replyTo === id && m.bot && m.webhookId === null).map((m) => m.content),
    marks: (room, id) => Object.keys(message(room, id)?.reactions ?? {}).filter((e) => FATES.has(e)),
    reactions: (room, id) => Object.keys(message(room, id)?.reactions ?? {}).filter((e) => !FATES.has(e)),
    carrying: (room, file) => discord.view(room).find((m) => m.webhookId !== null && m.attachments.some((a) => a.filename === file))?.id ?? null,
    textNow: (room, id) => {
      const m = message(room, id);
      return !m || m.content.endsWith('*(unsent)*') ? null : m.content;
    },
    async close() {
      await bridge.stop();
      sim.close({ pending: 'drop' });
      await discord.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

contractSuite(startDiscordSide);
