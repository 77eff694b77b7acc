// What history a new portal gets: a pure function of the chat's rows. The
// newest `messages` lines within `maxAgeDays`, oldest first, with tapbacks,
// edits and unsends folded into the line they belong to (a portal's history
// reads like the conversation does now, not like its change log).
import type { IMessage, ReactionType } from '../../imessage/model.ts';

export interface BackfillLimits {
  /** How many lines at most; 0 turns backfill off. */
  messages: number;
  /** Lines older than this many days are left out. */
  maxAgeDays: number;
}

export const DEFAULT_LIMITS: BackfillLimits = { messages: 50, maxAgeDays: 30 };

/** A tapback that still stands on its target (the latest one per person and part). */
export interface FoldedReaction { sender: string; fromMe: boolean; type: ReactionType; emoji: string | null; part: number }

/** One line of history: the message as it reads now, and who reacted to it. */
export interface HistoryItem {
  message: IMessage;
  reactions: FoldedReaction[];
  edited: boolean;
  unsent: boolean;
}

/** Kinds that are a line of their own; reactions fold into their target, `other` rows show nothing. */
const LINE_KINDS = new Set<IMessage['kind']>(['text', 'url_preview', 'app', 'group_event']);
const DAY_MS = 24 * 3600_000;

/**
 * `rows`: the chat's rows in any order (enough of the newest to fill the
 * window, reactions included). `now`: the clock the age limit counts from.
 */
export function planHistory(rows: readonly IMessage[], limits: BackfillLimits, now: number): HistoryItem[] {
  if (limits.messages <= 0) return [];
  const oldest = now - limits.maxAgeDays * DAY_MS;
  const sorted = [...rows].sort((a, b) => a.rowid - b.rowid);
  const lines = sorted.filter((m) => LINE_KINDS.has(m.kind) && m.date !== null && m.date >= oldest).slice(-limits.messages);
  const reactions = foldReactions(sorted, new Set(lines.map((m) => m.guid)));
  return lines.map((m) => fold(m, reactions.get(m.guid) ?? []));
}

function fold(m: IMessage, reactions: FoldedReaction[]): HistoryItem {
  const unsent = m.unsent;
  // An unsent message keeps its place, but none of its content; unsent parts drop their attachment.
  const message: IMessage = unsent
    ? { ...m, text: '', rawText: '', attachments: [] }
    : { ...m, attachments: m.attachments.filter((a) => !m.retractedParts.includes(a.part)) };
  return { message, reactions: unsent ? [] : reactions, edited: !unsent && (m.edits.length > 0 || m.dateEdited !== null), unsent };
}

/** Replays tapback rows in order: a newer one from the same person on the same part replaces theirs; a removal clears it. */
function foldReactions(sorted: readonly IMessage[], targets: ReadonlySet<string>): Map<string, FoldedReaction[]> {
  const standing = new Map<string, Map<string, FoldedReaction>>();
  for (const m of sorted) {
    const r = m.reaction;
    if (m.kind !== 'reaction' || !r || !targets.has(r.targetGuid)) continue;
    let onTarget = standing.get(r.targetGuid);
    if (!onTarget) standing.set(r.targetGuid, (onTarget = new Map()));
    const who = `${m.fromMe ? 'me' : m.sender}\u0000${r.targetPart}`;
    if (r.removed) onTarget.delete(who);
    else {
      onTarget.delete(who); // re-inserted last: the newest reaction is listed last
      onTarget.set(who, { sender: m.fromMe ? 'me' : m.sender, fromMe: m.fromMe, type: r.type, emoji: r.emoji, part: r.targetPart });
    }
  }
  return new Map([...standing].map(([guid, byWho]) => [guid, [...byWho.values()]]));
}
