// Where a chat lives in Discord: a text channel in the category, or a post in
// the forum. Channels, the category, the forum and webhooks are created on
// demand once, and the webhook's id and token are stored in the portal so it is
// reused across restarts (Discord caps webhooks per channel).
import { ChannelType, Routes, type Client, type Guild } from 'discord.js';
import type { PortalRecord, PortalView } from '../../core/kit/index.ts';
import type { ChatGuid } from '../../ids.ts';
import type { WebhookSender, WebhookTarget } from './webhookSender.ts';

export const CONNECTOR = 'discord';
const WEBHOOK_NAME = 'iMessage Bridge';
const ONE_TO_ONE_SERVICES = ['any', 'iMessage', 'SMS', 'RCS'];

export interface DiscordPortal extends WebhookTarget {
  chatGuid: ChatGuid;
  /** Where the chat's messages live: the text channel, or the forum post (a thread). */
  channelId: string;
  mode: 'channels' | 'forum';
  /** The newest Discord message seen in the channel: catch-up reads from here after a restart. */
  lastSeenId?: string;
}

export interface PortalSettings { mode: 'channels' | 'forum'; category_name: string; forum_channel_name: string }
export interface NewPortal { chatGuid: ChatGuid; title: string; channelName: string; topic: string }

export class Portals {
  private readonly pending = new Map<string, Promise<string>>();
  private readonly webhookIds = new Set<string>();

  constructor(private readonly store: PortalView, private readonly client: Client, private readonly sender: WebhookSender, private readonly settings: PortalSettings, private readonly guildId: string) {
    for (const p of this.store.all()) if (typeof p.extra.webhookId === 'string') this.webhookIds.add(p.extra.webhookId);
  }

  /** Ids of every webhook we post through: their messages are never relayed back. */
  get ownWebhookIds(): ReadonlySet<string> { return this.webhookIds; }

  find(chat: ChatGuid): DiscordPortal | null {
    const p = this.store.byChat(chat);
    return p ? toDiscordPortal(p) : null;
  }

  /**
   * The portal of this chat, or of the same 1:1 conversation under another
   * service prefix: `/imessage new` opens `any;-;<handle>`, and Messages then
   * files the conversation as `iMessage;-;<handle>` (or SMS). One person, one channel.
   */
  findEquivalent(chat: ChatGuid): DiscordPortal | null {
    const direct = this.find(chat);
    if (direct) return direct;
    const handle = /^[^;]+;-;(.+)$/.exec(chat)?.[1];
    if (!handle) return null;
    for (const service of ONE_TO_ONE_SERVICES) {
      const p = this.find(`${service};-;${handle}` as ChatGuid);
      if (p) return p;
    }
    return null;
  }

  /** Move a portal to the chat guid Messages actually uses. */
  rekey(p: DiscordPortal, chat: ChatGuid): DiscordPortal {
    if (p.chatGuid === chat) return p;
    this.store.remove(p.chatGuid);
    return this.save({ ...p, chatGuid: chat });
  }

  byChannel(channelId: string): DiscordPortal | null {
    const p = this.store.byRemote(channelId);
    return p ? toDiscordPortal(p) : null;
  }

  all(): DiscordPortal[] { return this.store.all().map(toDiscordPortal); }

  async ensure(n: NewPortal): Promise<DiscordPortal> {
    const existing = this.find(n.chatGuid);
    if (existing) return existing;
    return this.settings.mode === 'forum' ? this.createForumPost(n) : this.createChannel(n);
  }

  /** Tie an existing text channel to a chat (`/imessage link`). */
  async link(chat: ChatGuid, channelId: string): Promise<DiscordPortal> {
    const webhook = await this.webhookFor(channelId);
    return this.save({ chatGuid: chat, channelId, mode: 'channels', webhookId: webhook.id, webhookToken: webhook.token, threadId: null, lastSeenId: snowflakeAt(Date.now()) });
  }

  unlink(channelId: string): DiscordPortal | null {
    const p = this.byChannel(channelId);
    if (p) this.store.remove(p.chatGuid);
    return p;
  }

  /** Remember the newest message seen in a portal channel (only ever moves forward). */
  markSeen(channelId: string, messageId: string): void {
    const p = this.byChannel(channelId);
    if (!p || (p.lastSeenId && BigInt(p.lastSeenId) >= BigInt(messageId))) return;
    this.save({ ...p, lastSeenId: messageId });
  }

  /** The channel or webhook is gone (deleted in Discord): forget it so the next delivery recreates it. */
  forget(chat: ChatGuid): void {
    this.store.remove(chat);
  }

  /**
   * Our webhook was deleted (10015) but the channel stands: make a new one on
   * the same channel (the forum, for a post) and store it; the portal stays.
   */
  async renewWebhook(p: DiscordPortal): Promise<DiscordPortal> {
    const hookChannel = p.mode === 'forum' ? await this.parentOf(p.channelId) : p.channelId;
    this.pending.delete(`webhook:${hookChannel}`);
    const webhook = await this.webhookFor(hookChannel, p.webhookId);
    // Every post of a forum shares its webhook: move them all.
    const sharing = this.all().filter((x) => x.webhookId === p.webhookId);
    for (const x of sharing) this.save({ ...x, webhookId: webhook.id, webhookToken: webhook.token });
    return { ...p, webhookId: webhook.id, webhookToken: webhook.token };
  }

  async retitle(p: DiscordPortal, n: NewPortal): Promise<void> {
    const body = p.mode === 'forum' ? { name: n.title.slice(0, 100) } : { name: n.channelName, topic: n.topic };
    await this.client.rest.patch(Routes.channel(p.channelId), { body });
  }

  private async createChannel(n: NewPortal): Promise<DiscordPortal> {
    const parent = await this.once(`category:${this.settings.category_name}`, () => this.findOrCreate(this.settings.category_name, ChannelType.GuildCategory));
    const ch = await this.guild().channels.create({ name: n.channelName, type: ChannelType.GuildText, parent, topic: n.topic });
    const webhook = await this.webhookFor(ch.id);
    return this.save({ chatGuid: n.chatGuid, channelId: ch.id, mode: 'channels', webhookId: webhook.id, webhookToken: webhook.token, threadId: null, lastSeenId: ch.id });
  }

  private async createForumPost(n: NewPortal): Promise<DiscordPortal> {
    const forumId = await this.once(`forum:${this.settings.forum_channel_name}`, () => this.findOrCreate(this.settings.forum_channel_name, ChannelType.GuildForum));
    const webhook = await this.once(`webhook:${forumId}`, async () => { const w = await this.webhookFor(forumId); return `${w.id}:${w.token}`; });
    const [webhookId = '', webhookToken = ''] = webhook.split(':');
    // A forum post is created by its first message; the thread id is that message's channel.
    const first = await this.sender.execute({ webhookId, webhookToken, threadId: null }, { content: `📇 ${n.topic}`, username: 'iMessage', thread_name: n.title.slice(0, 100) || 'iMessage' });
    return this.save({ chatGuid: n.chatGuid, channelId: first.channel_id, mode: 'forum', webhookId, webhookToken, threadId: first.channel_id, lastSeenId: first.id });
  }

  private save(p: DiscordPortal): DiscordPortal {
    const { chatGuid, channelId, ...extra } = p;
    this.store.upsert({ chatGuid, remoteId: channelId, extra: { ...extra } });
    this.webhookIds.add(p.webhookId);
    return p;
  }

  private async findOrCreate(name: string, type: ChannelType.GuildCategory | ChannelType.GuildForum): Promise<string> {
    const guild = this.guild();
    const found = guild.channels.cache.find((c) => c.type === type && c.name === name);
    if (found) return found.id;
    const created = await guild.channels.create({ name, type });
    return created.id;
  }

  private async parentOf(threadId: string): Promise<string> {
    const ch = await this.client.rest.get(Routes.channel(threadId)) as { parent_id?: string | null };
    return ch.parent_id ?? threadId;
  }

  /** Reuse our webhook on the channel if there is one (other than a known-dead one); create it only once. */
  private async webhookFor(channelId: string, dead?: string): Promise<{ id: string; token: string }> {
    const hooks = await this.client.rest.get(Routes.channelWebhooks(channelId)) as Array<{ id: string; token?: string; name: string; application_id: string | null }>;
    const mine = hooks.find((h) => h.token && h.id !== dead && h.name === WEBHOOK_NAME && h.application_id === this.client.application?.id);
    const hook = mine ?? await this.client.rest.post(Routes.channelWebhooks(channelId), { body: { name: WEBHOOK_NAME } }) as { id: string; token: string };
    this.webhookIds.add(hook.id);
    return { id: hook.id, token: hook.token! };
  }

  private guild(): Guild {
    const g = this.client.guilds.cache.get(this.guildId);
    if (!g) throw new Error(`guild ${this.guildId} is not available to the bot`);
    return g;
  }

  /** Concurrent chats must not create the category (or forum) twice. */
  private once(key: string, make: () => Promise<string>): Promise<string> {
    let p = this.pending.get(key);
    if (!p) {
      p = make();
      p.catch(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }
}

function toDiscordPortal(p: PortalRecord): DiscordPortal {
  const x = p.extra as Partial<DiscordPortal>;
  return {
    chatGuid: p.chatGuid, channelId: p.remoteId, mode: x.mode ?? 'channels',
    webhookId: String(x.webhookId ?? ''), webhookToken: String(x.webhookToken ?? ''), threadId: x.threadId ?? null,
    ...(typeof x.lastSeenId === 'string' ? { lastSeenId: x.lastSeenId } : {}),
  };
}

/** The smallest snowflake Discord could give a message created at `ms`. */
export const snowflakeAt = (ms: number): string => ((BigInt(ms) - 1420070400000n) << 22n).toString();
