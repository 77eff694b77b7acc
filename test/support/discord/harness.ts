// One connector wired to a local Discord and a fake core, in a temp dir: the
// unit tier of the Discord stories.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { openBridgeDb, type BridgeDb } from '../../../src/core/db/bridgeDb.ts';
import { ConnectorKits } from '../../../src/core/kit/index.ts';
import { discordSection } from '../../../src/config/sections/discord.ts';
import { createDiscordConnector, type DiscordConnector } from '../../../src/connectors/discord/index.ts';
import { LocalDiscord, type LocalDiscordOptions } from './localDiscord.ts';
import { FakeCore } from './fixtures.ts';

export interface Harness {
  discord: LocalDiscord;
  connector: DiscordConnector;
  core: FakeCore;
  db: BridgeDb;
  dir: string;
  users: { alice: string; bob: string; carol: string };
  /** Every log line the connector wrote (JSON, level debug and up). */
  logs: string[];
  close(): Promise<void>;
}

export const NAMES: Record<string, string> = { '+15550001111': 'Jane Customer', '+15550002222': 'Discord Dan', 'joe@example.com': 'Joe' };

export async function startHarness(config: Record<string, unknown> = {}, discordOpts: LocalDiscordOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'discord-conn-'));
  const discord = await LocalDiscord.start({ enforceRateLimits: true, maxUploadBytes: 64 * 1024, ...discordOpts });
  discord.addRole('agents');
  const users = { alice: discord.addUser('alice', ['agents']), bob: discord.addUser('bob', ['agents']), carol: discord.addUser('carol') };
  const db = openBridgeDb(join(dir, 'bridge.db'));
  const cfg = discordSection.parse({ token: discord.token, guild_id: discord.guildId, api_url: discord.apiUrl, allowed_roles: ['agents'], auto_mirror: 'all', ...config });
  const core = new FakeCore(db);
  const logs: string[] = [];
  const connector = createDiscordConnector(cfg, {
    kits: new ConnectorKits(db), displayName: (h) => NAMES[h] ?? h, status: async () => ({ healthy: true, outbox_queue_depth: core.receipts.filter((r) => r.fate.state === 'queued').length }),
    log: pino({ level: 'debug' }, { write: (line: string) => { logs.push(line); } }), downloadDir: join(dir, 'downloads'),
  });
  core.attach(connector);
  await connector.start(core);
  return {
    discord, connector, core, db, dir, users, logs,
    async close() {
      await connector.stop();
      db.close();
      await discord.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
