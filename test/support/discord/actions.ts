// State changes that Discord announces on the gateway. REST routes and the
// test API's human users both go through here, so a human's message produces
// exactly the events a bot's REST call would.
import { snowflake } from './snowflake.ts';
import { ChannelTypes, messagePayload, type DiscordState } from './state.ts';
import type { Gateway } from './gateway.ts';
import type { ApiAttachment, ApiChannel, ApiUser, StoredMessage } from './types.ts';

const Intents = { Guilds: 1, GuildMessages: 1 << 9, GuildMessageReactions: 1 << 10, MessageContent: 1 << 15 };

export interface NewMessage {
  channelId: string; author: ApiUser; content?: string; embeds?: unknown[];
  files?: Array<{ name: string; data: Buffer; contentType?: string }>;
  webhookId?: string; reference?: string; allowedMentions?: unknown; roles?: string[];
  /** Forum posts: the starter message shares the thread's id. */
  id?: string;
}

export class Actions {
  /** Observers of every stored message (benchmarks time receipt with it). */
  readonly created: Array<(m: StoredMessage) => void> = [];

  constructor(private readonly state: DiscordState, private readonly gateway: Gateway, private readonly baseUrl: () => string) {}

  createMessage(n: NewMessage): StoredMessage {
    const id = n.id ?? snowflake();
    const files = new Map<string, Buffer>();
    const attachments: ApiAttachment[] = (n.files ?? []).map((f) => {
      const aid = snowflake();
      files.set(aid, f.data);
      const url = `${this.baseUrl()}/attachments/${n.channelId}/${aid}/${encodeURIComponent(f.name)}`;
      return { id: aid, filename: f.name, size: f.data.length, url, proxy_url: url, ...(f.contentType ? { content_type: f.contentType } : {}) };
    });
    const m: StoredMessage = {
      id, channel_id: n.channelId, guild_id: this.state.guildId, author: n.author, content: n.content ?? '',
      timestamp: new Date().toISOString(), edited_timestamp: null, attachments, embeds: n.embeds ?? [],
      type: n.reference ? 19 : 0, mention_everyone: false, reactions: new Map(), files,
      ...(n.webhookId ? { webhook_id: n.webhookId } : {}),
      ...(n.reference ? { message_reference: { message_id: n.reference, channel_id: n.channelId, guild_id: this.state.guildId } } : {}),
      ...(n.allowedMentions !== undefined ? { allowed_mentions: n.allowedMentions } : {}),
      ...(n.roles && !n.webhookId ? { member: { roles: n.roles } } : {}),
    };
    this.state.pushMessage(m);
    for (const f of this.created) f(m);
    this.gateway.dispatch('MESSAGE_CREATE', this.visible(m), Intents.GuildMessages);
    return m;
  }

  editMessage(m: StoredMessage, patch: { content?: string; embeds?: unknown[]; allowedMentions?: unknown }): StoredMessage {
    if (patch.content !== undefined) m.content = patch.content;
    if (patch.embeds !== undefined) m.embeds = patch.embeds;
    // Discord applies allowed_mentions per request and keeps nothing: an edit without it parses mentions again.
    m.allowed_mentions = patch.allowedMentions;
    m.edited_timestamp = new Date().toISOString();
    this.gateway.dispatch('MESSAGE_UPDATE', this.visible(m), Intents.GuildMessages);
    return m;
  }

  deleteMessage(channelId: string, messageId: string): boolean {
    const m = this.state.removeMessage(channelId, messageId);
    if (!m) return false;
    this.gateway.dispatch('MESSAGE_DELETE', { id: messageId, channel_id: channelId, guild_id: this.state.guildId }, Intents.GuildMessages);
    return true;
  }

  react(m: StoredMessage, userId: string, emoji: string, add: boolean): void {
    let users = m.reactions.get(emoji);
    if (!users) m.reactions.set(emoji, (users = new Set()));
    if (add === users.has(userId)) return; // Discord answers 204 and announces nothing
    if (add) users.add(userId); else users.delete(userId);
    const d: Record<string, unknown> = {
      user_id: userId, channel_id: m.channel_id, message_id: m.id, guild_id: this.state.guildId,
      emoji: { id: null, name: emoji }, burst: false, type: 0,
    };
    if (add) {
      d.message_author_id = m.author.id;
      const member = this.state.memberPayload(userId);
      if (member) d.member = member;
    }
    this.gateway.dispatch(add ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', d, Intents.GuildMessageReactions);
  }

  createChannel(fields: Partial<ApiChannel> & { name: string; type: number }): ApiChannel {
    const ch = this.state.addChannel(fields);
    this.gateway.dispatch('CHANNEL_CREATE', ch, Intents.Guilds);
    return ch;
  }

  updateChannel(ch: ApiChannel, patch: Partial<Pick<ApiChannel, 'name' | 'topic' | 'parent_id'>>): ApiChannel {
    Object.assign(ch, patch);
    this.gateway.dispatch(ch.type === ChannelTypes.publicThread ? 'THREAD_UPDATE' : 'CHANNEL_UPDATE', ch, Intents.Guilds);
    return ch;
  }

  createThread(parentId: string, name: string, ownerId: string, id?: string): ApiChannel {
    const th = this.state.addThread(parentId, name, ownerId, id);
    this.gateway.dispatch('THREAD_CREATE', { ...th, newly_created: true }, Intents.Guilds);
    return th;
  }

  /** What the bot receives: without MessageContent, others' text is blank. */
  private visible(m: StoredMessage): Record<string, unknown> {
    const p = messagePayload(m);
    if (!this.gateway.hasIntent(Intents.MessageContent) && m.author.id !== this.state.bot.id) {
      return { ...p, content: '', embeds: [], attachments: [] };
    }
    return p;
  }
}
