// The connectors `run` (and `demo`) start, built from the config: one small
// factory per network, sharing contact names and the status reader.
import type { Config } from '../config/schema.ts';
import type { Connector } from '../core/connector.ts';
import type { ConnectorDeps } from '../daemon.ts';
import type { Chat } from '../imessage/model.ts';
import { ContactBook } from '../imessage/contacts/index.ts';
import { outgoingDir } from '../paths.ts';

export async function connectorsFromConfig(config: Config, deps: ConnectorDeps): Promise<Connector[]> {
  if (!config.discord && !config.matrix) return [];
  const contacts = new ContactBook({ dir: config.imessage.contacts_dir, defaultRegion: config.imessage.default_region, log: deps.log });
  const displayName = (handle: string): string => contacts.displayName(handle);
  const status = async (): Promise<Record<string, unknown>> => deps.kits.status();
  const list: Connector[] = [];
  // Loaded lazily: discord.js and matrix-bot-sdk are heavy, and a bridge with
  // only one of them configured should not pay for the other.
  if (config.discord) {
    const { createDiscordConnector } = await import('./discord/index.ts');
    // `/imessage new` and `link` continue the chat Messages already has for a handle.
    const resolveChat = (handle: string): Chat | null => deps.chatDb.chat(handle);
    list.push(createDiscordConnector(config.discord, { kits: deps.kits, log: deps.log, displayName, status, resolveChat, downloadDir: outgoingDir(config, 'discord'), bridgeBackfill: config.bridge.backfill }));
  }
  if (config.matrix) {
    const { createMatrixConnector } = await import('./matrix/index.ts');
    list.push(createMatrixConnector(config.matrix, { kits: deps.kits, log: deps.log, displayName, status, dataDir: outgoingDir(config, 'matrix'), avatar: (handle) => contacts.photoFor(handle), bridgeBackfill: config.bridge.backfill }));
  }
  return list;
}
