// Pure conversion from the iMessage model to what Discord shows. No I/O here:
// the connector decides where things go, this decides what they look like.
import type { Attachment, Chat, GroupEvent, IMessage, Reaction } from '../../imessage/model.ts';
import type { Attribution } from '../../core/events.ts';

/** On every payload: an iMessage can never ping @everyone, a role or a user. */
export const NO_MENTIONS = Object.freeze({ parse: [] as string[] });
export const TEXT_LIMIT = 2000;

export type NameOf = (handle: string) => string;

export function chatTitle(chat: Chat, nameOf: NameOf): string {
  if (!chat.isGroup) return nameOf(chat.identifier);
  if (chat.displayName) return chat.displayName;
  const names = chat.participants.map(nameOf);
  return names.length ? names.join(', ') : chat.identifier;
}

/** Discord text channel names: lowercase, no spaces, at most 100 chars. */
export function channelName(title: string): string {
  const slug = title.toLowerCase().normalize('NFKC').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return [...(slug || 'chat')].slice(0, 100).join('');
}

export function chatTopic(chat: Chat, nameOf: NameOf): string {
  const who = chat.isGroup
    ? `Group: ${chat.participants.map((p) => (nameOf(p) === p ? p : `${nameOf(p)} (${p})`)).join(', ')}`
    : `iMessage with ${chat.identifier}`;
  return who.slice(0, 1024);
}

/** Who a message appears from: the contact, "Me", or the agent who sent it. */
export function senderName(m: IMessage, sentBy: Attribution | null, nameOf: NameOf): string {
  if (m.fromMe) return sentBy?.displayName ?? 'Me';
  return nameOf(m.sender);
}

/** Split text into Discord-sized parts, preferring line, then word, boundaries. */
export function splitText(text: string, limit = TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = rest.lastIndexOf(' ', limit);
    if (cut < limit / 2) cut = limit;
    // never split a surrogate pair
    if (/[\uD800-\uDBFF]/.test(rest[cut - 1] ?? '')) cut--;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(1)} ${units[i]}`;
}

export const attachmentName = (a: Attachment): string => a.transferName ?? a.path?.split('/').pop() ?? `attachment-${a.part}`;

export function attachmentNotice(a: Attachment, why: 'too_large' | 'missing'): string {
  const name = attachmentName(a);
  return why === 'too_large'
    ? `📎 ${name} (${formatBytes(a.size)}) is too large for Discord; it stays in Messages.`
    : `📎 ${name} (${formatBytes(a.size)}) hasn't been downloaded on the Mac yet.`;
}

export const messageLink = (guildId: string, channelId: string, messageId: string): string =>
  `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;

/** Webhooks can't set message_reference, so a reply is a quote plus a link. */
export function replyPrefix(quoted: string | null, link: string | null): string {
  const line = (quoted ?? '').split('\n')[0]?.trim() ?? '';
  const snippet = line.length > 80 ? `${line.slice(0, 79)}…` : line;
  if (!link) return snippet ? `> ↩️ ${snippet}\n` : '';
  return snippet ? `> ↩️ [${escapeLinkText(snippet)}](${link})\n` : `> ↩️ [reply](${link})\n`;
}

const escapeLinkText = (s: string): string => s.replace(/[[\]]/g, (c) => `\\${c}`);

const REACTION_WORDS: Record<Reaction['type'], string> = {
  love: 'loved', like: 'liked', dislike: 'disliked', laugh: 'laughed at', emphasize: 'emphasized',
  question: 'questioned', emoji: 'reacted to', sticker: 'put a sticker on',
};

export function tapbackLine(r: Reaction, who: string, link: string | null): string {
  const target = link ? `[a message](${link})` : 'a message';
  const emoji = r.emoji ? ` ${r.emoji}` : '';
  return r.removed ? `*${who} removed a reaction${emoji} from ${target}*` : `*${who} ${REACTION_WORDS[r.type]} ${target}${emoji}*`;
}

export function groupEventLine(e: GroupEvent, nameOf: NameOf): string {
  const actor = !e.actor ? 'Someone' : e.actor === 'me' ? 'You' : nameOf(e.actor);
  const target = e.handle ? nameOf(e.handle) : 'someone';
  switch (e.type) {
    case 'renamed': return `*${actor} named the conversation “${e.name ?? ''}”*`;
    case 'member_added': return `*${actor} added ${target}*`;
    case 'member_removed': return `*${actor} removed ${target}*`;
    case 'member_left': return `*${e.handle ? target : actor} left the conversation*`;
    case 'photo_changed': return `*${actor} changed the group photo*`;
  }
}

export const unsentText = (text: string): string => (text ? `~~${text.slice(0, TEXT_LIMIT - 40)}~~ *(unsent)*` : '*(unsent)*');

/** Message kinds shown as a short line rather than their (empty) body. */
export function otherKindLine(m: IMessage): string | null {
  if (m.kind === 'app') return `*sent an iMessage app message${m.balloonBundleId ? ` (${m.balloonBundleId.split('.').pop()})` : ''}*`;
  if (m.kind === 'other') return null;
  return null;
}
