// What a chat.db row IS, decided by one pure function from the few columns
// that say so. Callers `switch` on `kind`; the union is exhaustive, so a new
// kind is a compile error everywhere it is not handled.
import { messageGuid, type MessageGuid } from '../ids.ts';
import type { GroupEvent, Reaction, ReactionType } from './model.ts';

/** The columns classification looks at, already resolved (handles → ids). */
export interface ClassifyInput {
  itemType: number;
  groupActionType: number;
  groupTitle: string | null;
  /** `other_handle` resolved to a handle id, or null. */
  otherHandle: string | null;
  /** "me" or the sender's handle id: the actor of group events. */
  actor: string;
  associatedType: number;
  associatedGuid: string | null;
  associatedEmoji: string | null;
  balloonBundleId: string | null;
  hasPayload: boolean;
}

export type Classified =
  | { kind: 'text' }
  | { kind: 'reaction'; reaction: Reaction }
  | { kind: 'group_event'; event: GroupEvent }
  | { kind: 'url_preview' }
  | { kind: 'app'; bundleId: string }
  | { kind: 'other'; reason: string };

export const URL_BALLOON = 'com.apple.messages.URLBalloonProvider';

const TAPBACKS: readonly { type: ReactionType; emoji: string | null }[] = [
  { type: 'love', emoji: '❤️' },
  { type: 'like', emoji: '👍' },
  { type: 'dislike', emoji: '👎' },
  { type: 'laugh', emoji: '😂' },
  { type: 'emphasize', emoji: '‼️' },
  { type: 'question', emoji: '❓' },
  { type: 'emoji', emoji: null },
  { type: 'sticker', emoji: null },
];

/** `p:N/GUID` → part N; `bp:GUID` and a bare GUID → part 0. */
export function parseAssociatedGuid(value: string): { guid: MessageGuid; part: number } {
  if (value.startsWith('p:')) {
    const slash = value.indexOf('/');
    if (slash > 2) {
      const part = Number(value.slice(2, slash));
      return { guid: messageGuid(value.slice(slash + 1)), part: Number.isInteger(part) && part >= 0 ? part : 0 };
    }
  }
  if (value.startsWith('bp:')) return { guid: messageGuid(value.slice(3)), part: 0 };
  return { guid: messageGuid(value), part: 0 };
}

/** `thread_originator_part` is "part:start:length"; only the first field matters. */
export function parseThreadPart(value: string | null): number {
  if (!value) return 0;
  const colon = value.indexOf(':');
  const n = Number(colon === -1 ? value : value.slice(0, colon));
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

function reaction(row: ClassifyInput): Classified | null {
  const t = row.associatedType;
  const legacySticker = t === 1000;
  const removed = t >= 3000 && t <= 3007;
  if (!legacySticker && !removed && !(t >= 2000 && t <= 2007)) return null;
  if (!row.associatedGuid) return { kind: 'other', reason: `tapback ${t} without a target` };
  const spec = legacySticker ? TAPBACKS[7]! : TAPBACKS[t % 1000]!;
  const target = parseAssociatedGuid(row.associatedGuid);
  const emoji = spec.type === 'emoji' ? row.associatedEmoji : spec.emoji;
  return { kind: 'reaction', reaction: { type: spec.type, emoji, targetGuid: target.guid, targetPart: target.part, removed } };
}

function groupEvent(row: ClassifyInput): Classified {
  const actor = row.actor;
  switch (row.itemType) {
    case 1: {
      const handle = row.otherHandle ?? undefined;
      const type = row.groupActionType === 1 ? 'member_removed' : 'member_added';
      return { kind: 'group_event', event: { type, ...(handle !== undefined && { handle }), actor } };
    }
    case 2: return { kind: 'group_event', event: { type: 'renamed', name: row.groupTitle ?? '', actor } };
    case 3:
      if (row.groupActionType === 0) return { kind: 'group_event', event: { type: 'member_left', actor } };
      // 1 = new photo, 2 = photo removed: both change what the group shows.
      if (row.groupActionType === 1 || row.groupActionType === 2) return { kind: 'group_event', event: { type: 'photo_changed', actor } };
      return { kind: 'other', reason: `group action ${row.groupActionType}` };
    case 4: return { kind: 'other', reason: 'location sharing' };
    case 5: return { kind: 'other', reason: 'audio message kept' };
    case 6: return { kind: 'other', reason: 'SharePlay' };
    default: return { kind: 'other', reason: `item type ${row.itemType}` };
  }
}

export function classify(row: ClassifyInput): Classified {
  if (row.itemType !== 0) return groupEvent(row);
  const r = reaction(row);
  if (r) return r;
  if (row.associatedType === 4000) return { kind: 'other', reason: 'poll vote' };
  const bundle = row.balloonBundleId;
  if (bundle === URL_BALLOON || (bundle === null && row.hasPayload)) return { kind: 'url_preview' };
  if (bundle !== null && bundle !== '') return { kind: 'app', bundleId: bundle };
  return { kind: 'text' };
}
