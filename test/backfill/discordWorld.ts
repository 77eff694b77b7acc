// The Discord backfill stories' world: the Messages simulator seeded before the
// bridge first starts, the local Discord (rate limits on), a config file (the
// surface a user edits) and the bridge started from it the way `run` does it
// (loadConfig → connectorsFromConfig), optionally with the API. One per test
// file; `boot` starts the bridge again on the same data after a stop.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { startBridge, type RunningBridge } from '../../src/daemon.ts';
import { loadConfig } from '../../src/config/load.ts';
import { connectorsFromConfig } from '../../src/connectors/index.ts';
import { apiPart } from '../../src/parts/api.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { addressBookDir, createAddressBook, type SimContact } from '../../src/sim/addressBook.ts';
import { LocalDiscord, type LocalDiscordOptions } from '../support/discord/localDiscord.ts';

/** `-# <t:…:f>` under a history line: its original time (and whether it was edited). */
export const TIME = /^-# <t:(\d+):f>( · edited)?$/;

export interface DiscordWorld<S> {
  base: string;
  sim: MessagesSimulator;
  discord: LocalDiscord;
  configFile: string;
  /** What `seed` returned. */
  seeded: S;
  /** The running bridge (replaced by `boot`). */
  bridge: RunningBridge;
  /** The API's URL once it listens ('' without `api`). */
  apiUrl: string;
  /** Start the bridge again from the config file (after `bridge.stop()`). */
  boot(): Promise<RunningBridge>;
  close(): Promise<void>;
}

export interface DiscordWorldOptions<S> {
  /** The temp folder's name prefix. */
  prefix: string;
  /** Chats and history written before the bridge first starts. */
  seed: (sim: MessagesSimulator) => S;
  localDiscord?: LocalDiscordOptions;
  /** Merged into the `bridge:` and `discord:` sections. */
  bridge?: Record<string, unknown>;
  discord?: Record<string, unknown>;
  /** Run the API too (port 0, no web client). */
  api?: boolean;
  /** People in the Mac's AddressBook (channel names come from them); none: an empty contacts folder. */
  contacts?: SimContact[];
}

export async function startDiscordWorld<S>(o: DiscordWorldOptions<S>): Promise<DiscordWorld<S>> {
  const base = mkdtempSync(join(tmpdir(), `${o.prefix}-`));
  const sim = MessagesSimulator.create({ dir: join(base, 'sim') });
  let contactsDir = join(base, 'contacts');
  if (o.contacts) { createAddressBook(sim.home, o.contacts); contactsDir = addressBookDir(sim.home); } else mkdirSync(contactsDir);
  const seeded = o.seed(sim);
  const discord = await LocalDiscord.start({ enforceRateLimits: true, ...o.localDiscord });
  const configFile = join(base, 'config.yaml');
  writeFileSync(configFile, stringify({
    imessage: { chat_db: sim.dbPath, poll_interval_ms: 200, debounce_ms: 20, contacts_dir: contactsDir },
    bridge: { database: join(base, 'bridge.db'), ...o.bridge },
    discord: { token: discord.token, guild_id: discord.guildId, api_url: discord.apiUrl, auto_mirror: 'all', ...o.discord },
    ...(o.api ? { api: { port: 0, web_client: false } } : {}),
  }));

  const world: DiscordWorld<S> = {
    base, sim, discord, configFile, seeded, apiUrl: '',
    bridge: undefined as unknown as RunningBridge,
    async boot() {
      const config = loadConfig(configFile);
      const log = pino({ level: 'silent' });
      const api = o.api ? apiPart(config, log, (a) => { world.apiUrl = a.url; }) : null;
      world.bridge = await startBridge({
        config, handleSignals: false, log, extraParts: api ? [api] : [],
        sender: { send: async () => { throw new Error('no sends in this test'); } },
        connectors: (deps) => connectorsFromConfig(config, deps),
      });
      return world.bridge;
    },
    async close() {
      await world.bridge?.stop();
      sim.close({ pending: 'drop' });
      await discord.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
  await world.boot();
  return world;
}
