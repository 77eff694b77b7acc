// Everything the local Discord knows: one guild, its roles, channels, users,
// messages and webhooks. Pure bookkeeping; REST and gateway share it.
import { snowflake, snowflakeCompare } from './snowflake.ts';
import type { ApiChannel, ApiRole, ApiUser, HumanUser, StoredMessage, StoredWebhook } from './types.ts';

export const ChannelTypes = { text: 0, category: 4, publicThread: 11, forum: 15 } as const;
const ADMINISTRATOR = (1n << 3n).toString();

export class DiscordState {
  readonly guildId = snowflake();
  readonly applicationId = snowflake();
  readonly bot: ApiUser;
  readonly roles = new Map<string, ApiRole>();
  readonly channels = new Map<string, ApiChannel>();
  readonly humans = new Map<string, HumanUser>();
  readonly messages = new Map<string, StoredMessage[]>();
  readonly webhooks = new Map<string, StoredWebhook>();
  /** Messages deleted so far: tests check an unsend removed the right one. */
  readonly deleted: StoredMessage[] = [];
  readonly commands: unknown[] = [];
  readonly botRoleId = snowflake();

  constructor(botName = 'iMessage Bridge') {
    this.bot = { id: this.applicationId, username: botName, discriminator: '0', global_name: null, avatar: null, bot: true };
    this.addRole('@everyone', '0', this.guildId);
    this.addRole('bridge', ADMINISTRATOR, this.botRoleId);
  }

  addRole(name: string, permissions = '0', id = snowflake()): ApiRole {
    const role: ApiRole = { id, name, permissions, position: this.roles.size, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 };
    this.roles.set(id, role);
    return role;
  }

  roleByName(name: string): ApiRole | undefined {
    return [...this.roles.values()].find((r) => r.name === name);
  }

  addHuman(username: string, roleIds: string[] = []): HumanUser {
    const human = { user: { id: snowflake(), username, discriminator: '0', global_name: username, avatar: null }, roles: roleIds };
    this.humans.set(human.user.id, human);
    return human;
  }

  addChannel(fields: Partial<ApiChannel> & { name: string; type: number }): ApiChannel {
    const ch: ApiChannel = {
      id: snowflake(), guild_id: this.guildId, position: this.channels.size, parent_id: null, topic: null,
      permission_overwrites: [], nsfw: false, rate_limit_per_user: 0, last_message_id: null, ...fields,
    };
    if (ch.type === ChannelTypes.forum) ch.available_tags ??= [];
    this.channels.set(ch.id, ch);
    this.messages.set(ch.id, []);
    return ch;
  }

  addThread(parentId: string, name: string, ownerId: string, id = snowflake()): ApiChannel {
    return this.addChannel({
      id, name, type: ChannelTypes.publicThread, parent_id: parentId, owner_id: ownerId, message_count: 0, member_count: 1,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
    });
  }

  channelMessages(channelId: string): StoredMessage[] {
    return this.messages.get(channelId) ?? [];
  }

  findMessage(channelId: string, messageId: string): StoredMessage | undefined {
    return this.channelMessages(channelId).find((m) => m.id === messageId);
  }

  pushMessage(m: StoredMessage): void {
    const list = this.messages.get(m.channel_id);
    if (!list) throw new Error(`unknown channel ${m.channel_id}`);
    list.push(m);
    const ch = this.channels.get(m.channel_id);
    if (ch) { ch.last_message_id = m.id; if (ch.message_count !== undefined) ch.message_count++; }
  }

  removeMessage(channelId: string, messageId: string): StoredMessage | undefined {
    const list = this.channelMessages(channelId);
    const i = list.findIndex((m) => m.id === messageId);
    if (i < 0) return undefined;
    const [m] = list.splice(i, 1);
    if (m) this.deleted.push(m);
    return m;
  }

  /** GET /channels/:id/messages semantics: newest first, with before/after/limit. */
  pageMessages(channelId: string, q: { limit: number; before?: string; after?: string }): StoredMessage[] {
    let list = [...this.channelMessages(channelId)];
    if (q.before) list = list.filter((m) => snowflakeCompare(m.id, q.before!) < 0);
    if (q.after) {
      list = list.filter((m) => snowflakeCompare(m.id, q.after!) > 0);
      return list.slice(0, q.limit).reverse();
    }
    return list.reverse().slice(0, q.limit);
  }

  memberPayload(userId: string): Record<string, unknown> | undefined {
    if (userId === this.bot.id) return { user: this.bot, roles: [this.botRoleId], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 };
    const h = this.humans.get(userId);
    return h && { user: h.user, roles: h.roles, joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 };
  }

  guildPayload(): Record<string, unknown> {
    const members = [this.memberPayload(this.bot.id), ...[...this.humans.keys()].map((id) => this.memberPayload(id))];
    const all = [...this.channels.values()];
    return {
      id: this.guildId, name: 'Local Discord', icon: null, owner_id: this.bot.id, afk_timeout: 300, verification_level: 0,
      default_message_notifications: 0, explicit_content_filter: 0, features: [], mfa_level: 0, premium_tier: 0,
      preferred_locale: 'en-US', nsfw_level: 0, system_channel_id: null, unavailable: false, large: false,
      member_count: members.length, joined_at: new Date(0).toISOString(), emojis: [], stickers: [], presences: [],
      voice_states: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
      roles: [...this.roles.values()], members,
      channels: all.filter((c) => c.type !== ChannelTypes.publicThread),
      threads: all.filter((c) => c.type === ChannelTypes.publicThread),
    };
  }
}

/** The JSON Discord returns for a message (reactions summarised, bytes left out). */
export function messagePayload(m: StoredMessage, viewerId?: string): Record<string, unknown> {
  const { reactions, files: _files, member, allowed_mentions: _am, ...rest } = m;
  const out: Record<string, unknown> = {
    ...rest, tts: false, pinned: false, mentions: [], mention_roles: [], components: [], flags: 0,
    reactions: [...reactions].filter(([, users]) => users.size > 0).map(([emoji, users]) => ({
      emoji: { id: null, name: emoji }, count: users.size, me: viewerId ? users.has(viewerId) : false,
      count_details: { burst: 0, normal: users.size }, burst_colors: [], me_burst: false, burst_me: false, burst_count: 0,
    })),
  };
  if (member) out.member = { ...member, joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 };
  return out;
}
