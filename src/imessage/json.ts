// The public JSON contract: what `--json`, the HTTP API and the live streams
// emit. Keys are snake_case and stable; new keys may be added, none removed.
//
// Message:
//   rowid          number   chat.db ROWID (grows with arrival; not a stable id across resyncs)
//   guid           string   message guid (stable)
//   chat_guid      string|null  e.g. "iMessage;-;+15551234567", "any;+;chat123" (null until its chat join exists)
//   from_me        boolean
//   sender         string   E.164 phone, email, or "me"
//   service        "iMessage"|"SMS"|"RCS"|"any"|"unknown"
//   date           string|null  ISO 8601 UTC, e.g. "2024-05-01T12:00:00.000Z"
//   text           string   body without U+FFFC attachment placeholders ("" when none)
//   attachments    [{path, mime_type, transfer_name, size}]   path absolute (~ expanded) or null when not downloaded
//   reaction       {type, emoji, target_guid, target_part, removed} | null
//                  type: love|like|dislike|laugh|emphasize|question|emoji|sticker
//   reply_to       {guid, part} | null   the thread's originator (thread_originator_guid)
//   edited_at      string|null  ISO 8601 UTC of the last edit
//   edits          string[]  earlier texts of edited parts, oldest first (current text excluded)
//   unsent         boolean  the whole message was unsent
//   event          {type, name?, handle?, actor?} | null
//                  type: renamed|member_added|member_removed|member_left|photo_changed
//   error          number   chat.db error code, 0 = none
//   extra keys:    kind (text|reaction|group_event|url_preview|app|other), read_at, delivered_at,
//                  unsent_at, unsent_parts, is_sent, is_delivered, is_read, balloon_bundle_id, uti/is_sticker per attachment
// Chat:
//   guid, service, display_name (string|null), is_group, participants (string[]),
//   last_message_at (ISO 8601 UTC | null); extra: identifier
import type { Chat, IMessage, MessageKind, ReactionType, GroupEventType, Service } from './model.ts';

export interface AttachmentJson { path: string | null; mime_type: string | null; transfer_name: string | null; size: number; uti: string | null; is_sticker: boolean }

export interface MessageJson {
  rowid: number;
  guid: string;
  chat_guid: string | null;
  from_me: boolean;
  sender: string;
  service: Service;
  date: string | null;
  text: string;
  attachments: AttachmentJson[];
  reaction: { type: ReactionType; emoji: string | null; target_guid: string; target_part: number; removed: boolean } | null;
  reply_to: { guid: string; part: number } | null;
  edited_at: string | null;
  edits: string[];
  unsent: boolean;
  event: { type: GroupEventType; name?: string; handle?: string; actor?: string } | null;
  error: number;
  kind: MessageKind;
  read_at: string | null;
  delivered_at: string | null;
  unsent_at: string | null;
  unsent_parts: number[];
  is_sent: boolean;
  is_delivered: boolean;
  is_read: boolean;
  balloon_bundle_id: string | null;
}

export interface ChatJson {
  guid: string;
  service: Service;
  display_name: string | null;
  is_group: boolean;
  participants: string[];
  last_message_at: string | null;
  identifier: string;
}

// ISO 8601 without a Date per call: the date part of the last day seen is
// reused (messages come in date order, and read/delivered times fall on the
// same day), the time part is arithmetic. Outside 1970–9999 (where
// toISOString switches to ±YYYYYY or throws) and for fractions, toISOString
// itself answers, so the output is always toISOString's.
const DAY_MS = 86_400_000;
const MAX_FAST_MS = 253_402_300_800_000; // 10000-01-01
let cachedDay = -1;
let cachedPrefix = '';
const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const pad3 = (n: number): string => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

export function isoDate(ms: number): string {
  if (!(ms >= 0 && ms < MAX_FAST_MS) || ms !== Math.floor(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    cachedDay = day;
  }
  let t = ms - day * DAY_MS;
  const milli = t % 1000;
  t = (t - milli) / 1000;
  const sec = t % 60;
  t = (t - sec) / 60;
  const min = t % 60;
  return `${cachedPrefix}${pad2((t - min) / 60)}:${pad2(min)}:${pad2(sec)}.${pad3(milli)}Z`;
}

export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : isoDate(ms));

export function messageToJson(m: IMessage): MessageJson {
  return {
    rowid: m.rowid,
    guid: m.guid,
    chat_guid: m.chatGuid,
    from_me: m.fromMe,
    sender: m.sender,
    service: m.service,
    date: isoOrNull(m.date),
    text: m.text,
    attachments: m.attachments.map((a) => ({ path: a.path, mime_type: a.mimeType, transfer_name: a.transferName, size: a.size, uti: a.uti, is_sticker: a.isSticker })),
    reaction: m.reaction && {
      type: m.reaction.type, emoji: m.reaction.emoji, target_guid: m.reaction.targetGuid, target_part: m.reaction.targetPart, removed: m.reaction.removed,
    },
    reply_to: m.replyTo && { guid: m.replyTo.guid, part: m.replyTo.part },
    edited_at: isoOrNull(m.dateEdited),
    edits: m.edits,
    unsent: m.unsent,
    event: m.event && { ...m.event },
    error: m.error,
    kind: m.kind,
    read_at: isoOrNull(m.dateRead),
    delivered_at: isoOrNull(m.dateDelivered),
    unsent_at: isoOrNull(m.dateRetracted),
    unsent_parts: m.retractedParts,
    is_sent: m.isSent,
    is_delivered: m.isDelivered,
    is_read: m.isRead,
    balloon_bundle_id: m.balloonBundleId,
  };
}

export function chatToJson(c: Chat): ChatJson {
  return {
    guid: c.guid,
    service: c.service,
    display_name: c.displayName,
    is_group: c.isGroup,
    participants: c.participants,
    last_message_at: isoOrNull(c.lastMessageAt),
    identifier: c.identifier,
  };
}

// One message as its JSON line, written directly instead of building the
// MessageJson object and stringifying it (a third of `messages --json`'s time
// on a large chat.db). It must stay byte-identical to
// JSON.stringify(messageToJson(m)): test/messages/jsonLine.test.ts compares
// them over many generated messages. The rare nested values go through
// JSON.stringify of the same objects messageToJson builds.

/** Strings JSON.stringify would escape: quotes, backslashes, controls, surrogates (lone ones are escaped). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const str = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);
const strOrNull = (s: string | null): string => (s === null ? 'null' : str(s));
const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');
const date = (ms: number | null): string => (ms === null ? 'null' : `"${isoDate(ms)}"`);

function strings(a: readonly string[]): string {
  if (a.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < a.length; i++) out += (i ? ',' : '') + str(a[i]!);
  return out + ']';
}

function numbers(a: readonly number[]): string {
  if (a.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < a.length; i++) out += (i ? ',' : '') + num(a[i]!);
  return out + ']';
}

export function messageJsonLine(m: IMessage): string {
  const j = m.attachments.length || m.reaction || m.replyTo || m.event ? messageToJson(m) : null;
  return `{"rowid":${num(m.rowid)},"guid":${str(m.guid)},"chat_guid":${strOrNull(m.chatGuid)},"from_me":${m.fromMe},`
    + `"sender":${str(m.sender)},"service":${str(m.service)},"date":${date(m.date)},"text":${str(m.text)},`
    + `"attachments":${j ? JSON.stringify(j.attachments) : '[]'},"reaction":${j ? JSON.stringify(j.reaction) : 'null'},`
    + `"reply_to":${j ? JSON.stringify(j.reply_to) : 'null'},"edited_at":${date(m.dateEdited)},"edits":${strings(m.edits)},`
    + `"unsent":${m.unsent},"event":${j ? JSON.stringify(j.event) : 'null'},"error":${num(m.error)},"kind":${str(m.kind)},`
    + `"read_at":${date(m.dateRead)},"delivered_at":${date(m.dateDelivered)},"unsent_at":${date(m.dateRetracted)},`
    + `"unsent_parts":${numbers(m.retractedParts)},"is_sent":${m.isSent},"is_delivered":${m.isDelivered},"is_read":${m.isRead},`
    + `"balloon_bundle_id":${strOrNull(m.balloonBundleId)}}`;
}
