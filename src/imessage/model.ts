// The one normalized model every consumer sees. A chat.db row becomes exactly
// one IMessage through the readers in ./db; nothing downstream touches SQL.
import type { ChatGuid, MessageGuid } from '../ids.ts';

export type Service = 'iMessage' | 'SMS' | 'RCS' | 'any' | 'unknown';

export type ReactionType =
  | 'love' | 'like' | 'dislike' | 'laugh' | 'emphasize' | 'question' | 'emoji' | 'sticker';

export interface Reaction {
  type: ReactionType;
  /** The emoji shown for it: ❤️ 👍 👎 😂 ‼️ ❓, the emoji of an emoji tapback, or null for stickers. */
  emoji: string | null;
  targetGuid: MessageGuid;
  targetPart: number;
  removed: boolean;
}

export type GroupEventType = 'renamed' | 'member_added' | 'member_removed' | 'member_left' | 'photo_changed';

export interface GroupEvent {
  type: GroupEventType;
  /** New group name for `renamed`. */
  name?: string;
  /** The handle acted upon (added/removed member). */
  handle?: string;
  /** Who did it: a handle or "me". */
  actor?: string;
}

export interface Attachment {
  /** chat.db attachment guid. */
  guid: string;
  /** Absolute path, `~` expanded; null when Messages has not downloaded it. */
  path: string | null;
  mimeType: string | null;
  uti: string | null;
  transferName: string | null;
  size: number;
  isSticker: boolean;
  /** Index of this attachment among the message's parts. */
  part: number;
}

export type MessageKind =
  | 'text'          // ordinary message (text and/or attachments)
  | 'reaction'      // tapback add/remove
  | 'group_event'   // rename, membership, photo
  | 'url_preview'   // rich link balloon (text holds the URL)
  | 'app'           // iMessage app / extension balloon
  | 'other';        // known-but-not-shown system rows (SharePlay, location…)

export interface IMessage {
  rowid: number;
  guid: MessageGuid;
  chatGuid: ChatGuid | null;
  kind: MessageKind;
  fromMe: boolean;
  /** E.164 phone, email, or "me". */
  sender: string;
  service: Service;
  /** Epoch milliseconds (UTC); null when chat.db has 0. */
  date: number | null;
  dateRead: number | null;
  dateDelivered: number | null;
  dateEdited: number | null;
  dateRetracted: number | null;
  /** Message body with U+FFFC placeholders removed; '' when none. */
  text: string;
  /** The exact decoded body, placeholders included. */
  rawText: string;
  attachments: Attachment[];
  reaction: Reaction | null;
  replyTo: { guid: MessageGuid; part: number } | null;
  /** Earlier texts of edited parts, oldest first (current text excluded). */
  edits: string[];
  unsent: boolean;
  /** Part indexes that were unsent. */
  retractedParts: number[];
  event: GroupEvent | null;
  isSent: boolean;
  isDelivered: boolean;
  isRead: boolean;
  /** chat.db `error`; 0 = none. */
  error: number;
  balloonBundleId: string | null;
  /** Decode problems (corrupt blob etc.) — the row is still delivered. */
  warnings: string[];
}

export interface Chat {
  rowid: number;
  guid: ChatGuid;
  service: Service;
  /** chat_identifier: the handle for 1:1, chatNNN for groups. */
  identifier: string;
  displayName: string | null;
  isGroup: boolean;
  participants: string[];
  /** Epoch ms of the newest message, or null. */
  lastMessageAt: number | null;
}
