// Pure conversion from the iMessage model to what Discord shows. No I/O here:
// the connector decides where things go, this decides what they look like.
// The words come from the core's presentation (the same as Matrix says);
// this adds Discord's styling and escapes iMessage text for its Markdown.
import type { Attachment, GroupEvent, IMessage, Reaction } from '../../imessage/model.ts';
import {
  attachmentLine, chatTopic as topicLine, fallbackLine, groupEventSentence, splitText as splitGraphemes, tapbackSentence, UNSENT_MARK,
  type AttachmentProblem, type NameOf,
} from '../../core/presentation/index.ts';
import { escapeDiscordMarkdown } from './markdown.ts';

export { chatTitle, formatBytes, attachmentName, type NameOf } from '../../core/presentation/index.ts';
export { escapeDiscordMarkdown } from './markdown.ts';

/** On every payload: an iMessage can never ping @everyone, a role or a user. */
export const NO_MENTIONS = Object.freeze({ parse: [] as string[] });
export const TEXT_LIMIT = 2000;
const TOPIC_LIMIT = 1024;

/** Discord text channel names: lowercase, no spaces, at most 100 chars. */
export function channelName(title: string): string {
  const slug = title.toLowerCase().normalize('NFKC').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return [...(slug || 'chat')].slice(0, 100).join('');
}

export const chatTopic: typeof topicLine = (chat, nameOf) => topicLine(chat, nameOf).slice(0, TOPIC_LIMIT);

/** Split text into Discord-sized parts on grapheme clusters, preferring line, then word, boundaries. */
export const splitText = (text: string, limit = TEXT_LIMIT): string[] => splitGraphemes(text, limit);

/** A system line: the presentation's sentence in italics, its names escaped. */
const italic = (s: string): string => `*${s}*`;

/** The body of an iMessage as Discord Markdown: its own text escaped, or the stand-in line. */
export function messageBody(m: Pick<IMessage, 'text' | 'kind' | 'balloonBundleId'>): string {
  if (m.text) return escapeDiscordMarkdown(m.text);
  const line = fallbackLine(m);
  return line ? italic(escapeDiscordMarkdown(line)) : '';
}

export function attachmentNotice(a: Pick<Attachment, 'transferName' | 'path' | 'part' | 'size'>, why: AttachmentProblem): string {
  return escapeDiscordMarkdown(attachmentLine(a, why, 'Discord'));
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

const escapeLinkText = (s: string): string => s.replace(/(?<!\\)[[\]]/g, (c) => `\\${c}`);

export function tapbackLine(r: Reaction, who: string, link: string | null): string {
  const target = link ? `[a message](${link})` : 'a message';
  const emoji = r.emoji ? { ...r, emoji: escapeDiscordMarkdown(r.emoji) } : r;
  return italic(tapbackSentence(emoji, escapeDiscordMarkdown(who), target));
}

export function groupEventLine(e: GroupEvent, nameOf: NameOf): string {
  return italic(escapeDiscordMarkdown(groupEventSentence(e, nameOf)));
}

const UNSENT = italic(UNSENT_MARK);

/** The last text a message showed (already Discord Markdown), struck through and marked unsent. */
export const unsentText = (shown: string): string => (shown.trim() ? `~~${shown.slice(0, TEXT_LIMIT - 40)}~~ ${UNSENT}` : UNSENT);
export const isUnsentText = (content: string): boolean => content.endsWith(UNSENT);
