// The /imessage slash command: new, status, link, unlink. Registered per guild
// (instant), answered ephemerally; anything that sends or rewires a chat is
// limited to the same allowed users/roles as sending.
import { MessageFlags, Routes, type ChatInputCommandInteraction, type Client } from 'discord.js';
import type { Chat } from '../../imessage/model.ts';
import { chatGuid, type ChatGuid } from '../../ids.ts';
import { factsOf, maySend, type AllowList } from './permissions.ts';
import type { SenderFacts } from '../../core/events.ts';
import { withRedaction } from './requestErrors.ts';

export const COMMAND = {
  name: 'imessage',
  description: 'iMessage bridge',
  options: [
    { type: 1, name: 'new', description: 'Start a conversation with a number or email', options: [
      { type: 3, name: 'to', description: 'Phone number or email', required: true },
      { type: 3, name: 'text', description: 'The first message', required: true },
    ] },
    { type: 1, name: 'status', description: 'Bridge health and queue depth' },
    { type: 1, name: 'link', description: 'Tie this channel to an iMessage chat', options: [
      { type: 3, name: 'chat', description: 'Chat guid, number or email', required: true },
    ] },
    { type: 1, name: 'unlink', description: 'Stop mirroring this channel' },
  ],
};

export interface CommandActions {
  allow: AllowList;
  mode: 'channels' | 'forum';
  status(): Promise<Record<string, unknown>>;
  resolveChat(query: string): Chat;
  startConversation(chat: Chat, text: string, by: { userId: string; displayName: string; facts: SenderFacts }): Promise<string>;
  link(chat: ChatGuid, channelId: string): Promise<{ previousChannel: string | null }>;
  unlink(channelId: string): ChatGuid | null;
  linkedChatOf(channelId: string): ChatGuid | null;
}

/**
 * Create (or update) our one command by name. A POST, not the bulk PUT: a
 * team's bridges may share one bot application, and a PUT would remove the
 * other bridges' commands.
 */
export async function registerCommands(client: Client<true>, guildId: string, name = COMMAND.name): Promise<void> {
  await client.rest.post(Routes.applicationGuildCommands(client.application.id, guildId), { body: { ...COMMAND, name } });
}

const PHONE = /^\+?[\d\s().-]{3,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A number or email as Messages expects it; null when it's neither. */
export function normalizeHandle(raw: string): string | null {
  const s = raw.trim();
  if (EMAIL.test(s)) return s.toLowerCase();
  if (PHONE.test(s)) {
    const digits = s.replace(/[^\d]/g, '');
    if (digits.length < 3) return null;
    return s.startsWith('+') ? `+${digits}` : digits;
  }
  return null;
}

/** A chat for a handle that may not exist yet in chat.db. */
export function oneToOneChat(handle: string): Chat {
  return { rowid: 0, guid: chatGuid(`any;-;${handle}`), service: 'any', identifier: handle, displayName: null, isGroup: false, participants: [handle], lastMessageAt: null };
}

/** Replies go to token-bearing routes: failures are rethrown with the interaction token redacted. */
export async function handleCommand(i: ChatInputCommandInteraction, a: CommandActions): Promise<void> {
  await withRedaction([i.token], () => runCommand(i, a));
}

async function runCommand(i: ChatInputCommandInteraction, a: CommandActions): Promise<void> {
  const reply = (content: string) => (i.deferred || i.replied
    ? i.editReply({ content, allowedMentions: { parse: [] } })
    : i.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } }));
  const sub = i.options.getSubcommand();
  if (sub === 'status') {
    const s = await a.status();
    await reply(['**iMessage bridge**', ...Object.entries(s).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)].join('\n'));
    return;
  }
  const member = i.inCachedGuild() ? i.member : null;
  const who = {
    userId: i.user.id, username: i.user.username,
    roleIds: member ? [...member.roles.cache.keys()] : [], roleNames: member ? member.roles.cache.map((r) => r.name) : [],
  };
  const allowed = maySend(who, a.allow);
  if (!allowed) { await reply("You aren't allowed to do that: ask an admin to add you to `discord.allowed_users` or `discord.allowed_roles`."); return; }
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  switch (sub) {
    case 'new': {
      const handle = normalizeHandle(i.options.getString('to', true));
      if (!handle) { await reply('That is neither a phone number nor an email address.'); return; }
      const chat = a.resolveChat(handle);
      const channelId = await a.startConversation(chat, i.options.getString('text', true), { userId: i.user.id, displayName: member?.displayName ?? i.user.username, facts: factsOf(who) });
      await reply(`Started a conversation with ${handle} in <#${channelId}>.`);
      return;
    }
    case 'link': {
      if (a.mode === 'forum') { await reply('In forum mode each chat is a post; link works in channels mode.'); return; }
      if (i.channel?.isThread()) { await reply('Link a text channel, not a thread.'); return; }
      const current = a.linkedChatOf(i.channelId);
      if (current) { await reply(`This channel is already linked to ${current}. Use /${i.commandName} unlink first.`); return; }
      const query = i.options.getString('chat', true).trim();
      const chat = query.includes(';') ? chatGuid(query) : a.resolveChat(normalizeHandle(query) ?? query).guid;
      const { previousChannel } = await a.link(chat, i.channelId);
      await reply(`Linked this channel to ${chat}.${previousChannel ? ` It was mirrored in <#${previousChannel}> before.` : ''}`);
      return;
    }
    case 'unlink': {
      const chat = a.unlink(i.channelId);
      await reply(chat ? `Unlinked ${chat}: this channel no longer mirrors it.` : 'This channel is not linked to a chat.');
      return;
    }
    default:
      await reply(`Unknown subcommand ${sub}.`);
  }
}
