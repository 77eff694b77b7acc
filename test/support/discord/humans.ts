// The test API of the local Discord: look at a channel as a user would, and act
// as human users. Every action goes through Actions, so the bot sees exactly
// the gateway events Discord would send.
import { randomBytes } from 'node:crypto';
import { snowflake } from './snowflake.ts';
import { ChannelTypes, type DiscordState } from './state.ts';
import type { Actions } from './actions.ts';
import type { Gateway } from './gateway.ts';
import type { ApiChannel, Interaction, StoredMessage } from './types.ts';

export interface VisibleMessage {
  id: string; authorId: string; webhookId: string | null; username: string; bot: boolean; content: string;
  attachments: Array<{ filename: string; size: number }>; embeds: unknown[]; allowedMentions: unknown;
  reactions: Record<string, string[]>; replyTo: string | null; edited: boolean;
}

export class HumanActions {
  constructor(readonly state: DiscordState, protected readonly actions: Actions, protected readonly gw: Gateway, readonly interactions: Map<string, Interaction>) {}

  get guildId(): string { return this.state.guildId; }
  get applicationId(): string { return this.state.applicationId; }
  get botUserId(): string { return this.state.bot.id; }

  /** Called with each message as Discord stores it. */
  onMessageCreated(f: (m: StoredMessage) => void): void { this.actions.created.push(f); }

  addRole(name: string): string { return this.state.addRole(name).id; }

  /** A human member; `roles` are role names or ids. */
  addUser(username: string, roles: string[] = []): string {
    const ids = roles.map((r) => this.state.roleByName(r)?.id ?? r);
    return this.state.addHuman(username, ids).user.id;
  }

  createTextChannel(name: string, parentId: string | null = null): string {
    return this.actions.createChannel({ name, type: ChannelTypes.text, parent_id: parentId }).id;
  }

  /** An admin deletes a channel: its messages and webhooks go with it. */
  deleteChannel(id: string): void {
    const ch = this.existingChannel(id);
    this.state.channels.delete(id);
    this.state.messages.delete(id);
    for (const [wid, w] of this.state.webhooks) if (w.channel_id === id) this.state.webhooks.delete(wid);
    this.gw.dispatch('CHANNEL_DELETE', ch, 1);
  }

  /** An admin deletes the channel's webhooks (Server Settings → Integrations); the channel stays. */
  deleteWebhooksOf(channelId: string): string[] {
    const gone = [...this.state.webhooks.values()].filter((w) => w.channel_id === channelId).map((w) => w.id);
    for (const id of gone) this.state.webhooks.delete(id);
    return gone;
  }

  webhookIdsOf(channelId: string): string[] { return [...this.state.webhooks.values()].filter((w) => w.channel_id === channelId).map((w) => w.id); }

  channels(): ApiChannel[] { return [...this.state.channels.values()]; }
  channel(id: string): ApiChannel | undefined { return this.state.channels.get(id); }
  channelByName(name: string): ApiChannel | undefined { return this.channels().find((c) => c.name === name); }
  threadsOf(parentId: string): ApiChannel[] { return this.channels().filter((c) => c.parent_id === parentId && c.type === ChannelTypes.publicThread); }
  webhooksOf(channelId: string): number { return [...this.state.webhooks.values()].filter((w) => w.channel_id === channelId).length; }

  /** A channel's messages, oldest first, as a user sees them. */
  view(channelId: string): VisibleMessage[] {
    return this.state.channelMessages(channelId).map(toVisible);
  }

  get deletedMessages(): VisibleMessage[] { return this.state.deleted.map(toVisible); }

  post(userId: string, channelId: string, content: string, opts: { files?: Array<{ name: string; data: Buffer }>; replyTo?: string } = {}): string {
    const h = this.human(userId);
    this.existingChannel(channelId);
    return this.actions.createMessage({ channelId, author: h.user, content, files: opts.files, reference: opts.replyTo, roles: h.roles }).id;
  }

  edit(userId: string, channelId: string, messageId: string, content: string): void {
    const m = this.message(channelId, messageId);
    if (m.author.id !== userId) throw new Error('humans can only edit their own messages');
    this.actions.editMessage(m, { content });
  }

  delete(_userId: string, channelId: string, messageId: string): void {
    if (!this.actions.deleteMessage(channelId, messageId)) throw new Error(`no message ${messageId}`);
  }

  react(userId: string, channelId: string, messageId: string, emoji: string): void {
    this.human(userId);
    this.actions.react(this.message(channelId, messageId), userId, emoji, true);
  }

  startThread(userId: string, channelId: string, name: string): string {
    this.human(userId);
    return this.actions.createThread(channelId, name, userId).id;
  }

  /** Run `/<command> <sub> [options]` as a user; resolves the interaction for inspection. */
  slash(userId: string, channelId: string, command: string, sub: string, options: Record<string, string> = {}): Interaction {
    const h = this.human(userId);
    const ch = this.existingChannel(channelId);
    const registered = this.state.commands.find((c) => (c as { name?: string }).name === command) as { id: string } | undefined;
    if (!registered) throw new Error(`command /${command} is not registered`);
    const i: Interaction = { id: snowflake(), token: randomBytes(40).toString('base64url'), channelId, userId, responses: [], followups: [] };
    this.interactions.set(i.id, i);
    this.gw.dispatch('INTERACTION_CREATE', {
      id: i.id, application_id: this.state.applicationId, type: 2, token: i.token, version: 1,
      data: { id: registered.id, name: command, type: 1, guild_id: this.state.guildId,
        options: [{ type: 1, name: sub, options: Object.entries(options).map(([name, value]) => ({ type: 3, name, value })) }] },
      guild_id: this.state.guildId, channel_id: channelId, channel: ch,
      member: { ...this.state.memberPayload(userId), permissions: '0', user: h.user },
      app_permissions: '8', locale: 'en-US', guild_locale: 'en-US', entitlements: [], authorizing_integration_owners: { 0: this.state.guildId }, context: 0,
    });
    return i;
  }

  private human(userId: string) {
    const h = this.state.humans.get(userId);
    if (!h) throw new Error(`no human user ${userId}`);
    return h;
  }

  private existingChannel(id: string): ApiChannel {
    const ch = this.state.channels.get(id);
    if (!ch) throw new Error(`no channel ${id}`);
    return ch;
  }

  private message(channelId: string, id: string): StoredMessage {
    const m = this.state.findMessage(channelId, id);
    if (!m) throw new Error(`no message ${id} in ${channelId}`);
    return m;
  }
}

const toVisible = (m: StoredMessage): VisibleMessage => ({
  id: m.id, authorId: m.author.id, webhookId: m.webhook_id ?? null, username: m.author.username, bot: m.author.bot === true,
  content: m.content, attachments: m.attachments.map((a) => ({ filename: a.filename, size: a.size })), embeds: m.embeds,
  allowedMentions: m.allowed_mentions ?? null,
  reactions: Object.fromEntries([...m.reactions].filter(([, u]) => u.size > 0).map(([e, u]) => [e, [...u]])),
  replyTo: m.message_reference?.message_id ?? null, edited: m.edited_timestamp !== null,
});
