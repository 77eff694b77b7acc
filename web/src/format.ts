// Pure presentation helpers: how a message kind reads in a bubble.
import type { ChatJson, MessageJson } from './types';

export const chatTitle = (c: ChatJson) => c.display_name || c.name || c.participants.join(', ') || c.guid;

export const senderLabel = (m: MessageJson) => (m.from_me ? 'Me' : m.sender_name || m.sender);

export function timeOf(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
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

/** Tapbacks fold onto their target: guid → emoji counts, removals applied in order. */
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
