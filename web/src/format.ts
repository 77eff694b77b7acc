// Pure presentation helpers: how chats, people and message kinds read.
import type { AttachmentJson, ChatJson, Fate, MessageJson } from './types.ts';

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

const DAY_MS = 86_400_000;
const startOfDay = (d: Date): number => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
const asDate = (when: string | number | null | undefined): Date | null => {
  if (when === null || when === undefined || when === '') return null;
  const d = new Date(when);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** A clock time, 24-hour like "14:05". */
export const clock = (d: Date): string => d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** For lists: today "14:05", this week "Tue", older "Nov 28" (with the year when not this one). */
export function timeOf(when: string | number | null | undefined, now = new Date()): string {
  const d = asDate(when);
  if (!d) return '';
  const days = Math.round((startOfDay(now) - startOfDay(d)) / DAY_MS);
  if (days <= 0) return clock(d);
  if (days < 7) return d.toLocaleDateString(undefined, { weekday: 'short' });
  return d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', ...(d.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}) });
}

/** For day separators: "Today", "Yesterday", "Tuesday", or a full date. */
export function dayLabel(when: string | null, now = new Date()): string {
  const d = asDate(when);
  if (!d) return '';
  const days = Math.round((startOfDay(now) - startOfDay(d)) / DAY_MS);
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days < 7) return d.toLocaleDateString(undefined, { weekday: 'long' });
  return d.toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric', ...(d.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}) });
}

export const sameDay = (a: string | null, b: string | null): boolean => {
  const x = asDate(a);
  const y = asDate(b);
  return !!x && !!y && startOfDay(x) === startOfDay(y);
};

/** Messages from one sender within a few minutes read as one group (one name, one tail). */
const GROUP_GAP_MS = 5 * 60_000;
export function sameGroup(a: MessageJson | undefined, b: MessageJson): boolean {
  if (!a || a.event || b.event || a.from_me !== b.from_me || a.sender !== b.sender) return false;
  const x = asDate(a.date);
  const y = asDate(b.date);
  return !!x && !!y && y.getTime() - x.getTime() < GROUP_GAP_MS && startOfDay(x) === startOfDay(y);
}

export const isVoice = (a: AttachmentJson): boolean =>
  /^Audio Message\./i.test(a.transfer_name ?? '') || a.uti === 'com.apple.coreaudio-format' || a.mime_type === 'audio/x-caf';

export type AttachmentKind = 'image' | 'voice' | 'audio' | 'video' | 'file';
export function attachmentKind(a: AttachmentJson): AttachmentKind {
  const mime = a.mime_type ?? '';
  if (isVoice(a)) return 'voice';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('video/')) return 'video';
  return 'file';
}

const ATTACHMENT_PREVIEW: Record<AttachmentKind, string> = { image: '📷 Photo', voice: '🎤 Voice message', audio: '🎵 Audio', video: '🎬 Video', file: '📎 File' };

/** One line for the chat list, like Messages: "📷 Photo", "Tapback ❤️", "You: …". */
export function previewOf(m: MessageJson, group: boolean, nameOf?: NameOf): string {
  const who = m.from_me ? 'You: ' : group ? `${(m.sender_name || m.sender).split(' ')[0]}: ` : '';
  if (m.event) return eventLine(m, nameOf);
  if (m.unsent) return `${m.from_me ? 'You' : m.sender_name || m.sender} unsent a message`;
  if (m.reaction) return `${who}${m.reaction.removed ? 'Removed tapback' : 'Tapback'} ${reactionEmoji(m)}`;
  if (m.text) return `${who}${m.text.replace(/\s+/g, ' ')}`;
  const a = m.attachments[0];
  if (a) return `${who}${attachmentKind(a) === 'file' ? `📎 ${a.transfer_name ?? 'File'}` : ATTACHMENT_PREVIEW[attachmentKind(a)]}`;
  return '';
}

/** SMS and RCS chats are green in Messages; so here. */
export const isSms = (service: string): boolean => service === 'SMS' || service === 'RCS';

/** The status under your last sent message: "Read 14:05", "Delivered". */
export function receiptOf(m: MessageJson): string {
  const read = asDate(m.read_at);
  if (m.is_read || read) return read ? `Read ${timeOf(m.read_at ?? null)}` : 'Read';
  if (m.is_delivered) return 'Delivered';
  return '';
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

/** Handle → Contacts name, from the chats' participant_names (events carry handles only). */
export type NameOf = (handle: string) => string;
export const namesFrom = (chats: ChatJson[]): NameOf => {
  const names = new Map<string, string>();
  for (const c of chats) c.participants.forEach((h, i) => { const n = c.participant_names?.[i]; if (n && n !== h) names.set(h, n); });
  return (h) => names.get(h) ?? h;
};

export function eventLine(m: MessageJson, nameOf: NameOf = (h) => h): string {
  const e = m.event;
  if (!e) return '';
  const who = e.actor === 'me' ? 'You' : e.actor ? nameOf(e.actor) : 'Someone';
  switch (e.type) {
    case 'renamed': return `${who} named the conversation “${e.name ?? ''}”`;
    case 'member_added': return `${who} added ${e.handle ? nameOf(e.handle) : 'someone'}`;
    case 'member_removed': return `${who} removed ${e.handle ? nameOf(e.handle) : 'someone'}`;
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

/** Incoming, unread on the Mac, after your own last reply (answering means you read it), newer than what this browser showed. */
export function unreadIn(ms: MessageJson[], seenRowid: number): number {
  let mine = -1;
  ms.forEach((m, i) => { if (m.from_me && !m.event) mine = i; });
  return ms.slice(mine + 1).filter((m) => !m.from_me && !m.is_read && !m.reaction && !m.event && !m.unsent && m.rowid > seenRowid).length;
}
