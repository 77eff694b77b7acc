// An unmodified discord.js client pointed at the local Discord, for tests.
import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { LocalDiscord } from './localDiscord.ts';
import { waitFor as sharedWaitFor } from '../waitFor.ts';

export async function connectBot(d: LocalDiscord): Promise<Client<true>> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.GuildMessageReactions],
    partials: [Partials.Message, Partials.Reaction, Partials.Channel],
    rest: { api: d.apiUrl },
  });
  const ready = new Promise<void>((r) => client.once('clientReady', () => r()));
  await client.login(d.token);
  await ready;
  return client as Client<true>;
}

/** Poll until `check` returns a value (not undefined/false), or fail after `ms`. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000, what = 'condition'): Promise<T> {
  return sharedWaitFor(what, check, ms);
}
