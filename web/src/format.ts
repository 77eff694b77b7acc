// Pure presentation helpers: how chats, people and message kinds read.
import type { ChatJson, Fate, MessageJson } from './types';

export const chatTitle = (c: ChatJson | { guid: string }): string => {
  if (!('participants' in c)) return c.guid;
  return c.display_name || c.name || (c.participant_names ?? c.participants).join(', ') || c.guid;
};

export const senderLabel = (m: MessageJson): string => (m.from_me ? 'Me' : m.sender_name || m.sender);

export function initials(name: string): string {
  const words = name.replace(/[^\p{L}\p{N}\s]/gu, '').trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '#';
  const last = words.length > 1 ? words[words.length - 1]![0] : '';
  return (first + (last ?? '')).toUpperCase();
}

/** A stable colour class per name: .hue-0 … .hue-5. */
export function hueClass(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return `hue-${h % 6}`;
}

export function timeOf(when: string | number | null): string {
  if (when === null || when === '') return '';
  const d = new Date(when);
  if (Number.isNaN(d.getTime())) return '';
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export function sizeOf(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const TAPBACK: Record<string, string> = { love: '❤️', like: '👍', dislike: '👎', laugh: '😂', emphasize: '‼️', question: '❓' };

export function reactionEmoji(m: MessageJson): string {
  const r = m.reaction;
  if (!r) return '';
  return r.emoji || TAPBACK[r.type] || (r.type === 'sticker' ? '🏷️' : '•');
}

export function eventLine(m: MessageJson): string {
  const e = m.event;
  if (!e) return '';
  const who = e.actor === 'me' ? 'You' : e.actor || 'Someone';
  switch (e.type) {
    case 'renamed': return `${who} named the conversation “${e.name ?? ''}”`;
    case 'member_added': return `${who} added ${e.handle ?? 'someone'}`;
    case 'member_removed': return `${who} removed ${e.handle ?? 'someone'}`;
    case 'member_left': return `${who} left the conversation`;
    case 'photo_changed': return `${who} changed the group photo`;
    default: return e.type;
  }
}

/** Tapbacks fold onto their target: guid → emoji → who, removals applied in order. */
export function foldReactions(messages: MessageJson[]): Map<string, Map<string, Set<string>>> {
  const out = new Map<string, Map<string, Set<string>>>();
  for (const m of messages) {
    if (!m.reaction) continue;
    const byEmoji = out.get(m.reaction.target_guid) ?? new Map<string, Set<string>>();
    out.set(m.reaction.target_guid, byEmoji);
    const emoji = reactionEmoji(m);
    const who = byEmoji.get(emoji) ?? new Set<string>();
    byEmoji.set(emoji, who);
    if (m.reaction.removed) who.delete(senderLabel(m)); else who.add(senderLabel(m));
  }
  return out;
}

export const isFinal = (f: Fate): boolean => f.state !== 'queued' && f.state !== 'sending';

export function fateLabel(f: Fate): string {
  switch (f.state) {
    case 'queued': return '⏳ Queued';
    case 'sending': return '⏳ Sending…';
    case 'sent': return '✅ Sent';
    case 'failed': return `❌ Not sent: ${f.reason}`;
    case 'unknown': return `❔ Unconfirmed: ${f.reason}`;
  }
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the HTML entities the search API escapes text with (&#60; &lt; …). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] !== '#') return NAMED[e.toLowerCase()] ?? m;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}
