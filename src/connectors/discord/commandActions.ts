// What the slash commands do to the bridge: start a conversation, link and
// unlink channels, report status. Kept apart from the command parsing.
import type { Client } from 'discord.js';
import type { DiscordConfig } from '../../config/schema.ts';
import type { CoreHandle } from '../../core/connector.ts';
import type { Chat } from '../../imessage/model.ts';
import { oneToOneChat, type CommandActions } from './commands.ts';
import { DiscordConnectorError } from './errors.ts';
import type { FateReactions } from './fate.ts';
import { outboundText } from './fromDiscord.ts';
import type { Outbound } from './outbound.ts';
import { CONNECTOR, type NewPortal, type Portals } from './portals.ts';
import { sanitizeWebhookUsername } from './usernames.ts';

export interface CommandContext {
  config: DiscordConfig;
  deps: { status(): Promise<Record<string, unknown>>; resolveChat?(query: string): Chat | null };
  core(): CoreHandle;
  portals: Portals;
  outbound: Outbound;
  fate: FateReactions;
  client: Client<true>;
  newPortal(chat: Chat): NewPortal;
}

export function buildCommandActions(c: CommandContext): CommandActions {
  return {
    allow: c.config, mode: c.config.mode,
    status: async () => ({ ...(await c.deps.status()), discord_portals: c.portals.all().length, discord_ping_ms: c.client.ws.ping }),
    resolveChat: (q) => c.deps.resolveChat?.(q) ?? oneToOneChat(q),
    startConversation: async (chat, text, by) => {
      c.core().setMirrored?.(CONNECTOR, chat.guid, true);
      // A contact who already has a channel (under any service prefix) keeps it: one person, one channel.
      const portal = c.portals.findEquivalent(chat.guid) ?? await c.portals.ensure(c.newPortal(chat));
      // The agent's opening line is posted first, so its fate has a message to show on.
      const [originId] = await c.outbound.post(portal, sanitizeWebhookUsername(by.displayName), text, []);
      if (!originId) throw new DiscordConnectorError('empty', 'Nothing to send.', 'Give /imessage new some text.');
      await c.core().send({
        // The known conversation's guid: Messages sends into that thread, not a new one.
        chatGuid: portal.chatGuid, text: outboundText(text, c.config.signature ? by.displayName : null),
        from: { connector: CONNECTOR, userId: by.userId, displayName: by.displayName }, facts: by.facts, origin: { connector: CONNECTOR, remoteId: originId, room: portal.channelId },
      });
      return portal.channelId;
    },
    link: async (chat, channelId) => {
      const previous = c.portals.find(chat)?.channelId ?? null;
      c.core().setMirrored?.(CONNECTOR, chat, true);
      await c.portals.link(chat, channelId);
      return { previousChannel: previous !== channelId ? previous : null };
    },
    unlink: (channelId) => {
      const p = c.portals.unlink(channelId);
      if (p) c.core().setMirrored?.(CONNECTOR, p.chatGuid, false);
      return p?.chatGuid ?? null;
    },
    linkedChatOf: (channelId) => c.portals.byChannel(channelId)?.chatGuid ?? null,
  };
}
