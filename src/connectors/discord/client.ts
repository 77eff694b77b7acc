// The discord.js client the connector runs on. Partials matter: without them
// edits, deletes and reactions on messages from before a restart are dropped.
import { Client, GatewayIntentBits, Partials } from 'discord.js';

export function createClient(apiUrl: string | undefined): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.GuildMessageReactions],
    partials: [Partials.Message, Partials.Reaction, Partials.Channel],
    ...(apiUrl ? { rest: { api: apiUrl } } : {}),
  });
}
