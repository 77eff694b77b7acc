// The sentences the bridge writes itself: group events, tapbacks, stand-ins
// for what a network can't show, unsends, and the fate of a send. Plain text
// only: each connector adds its own styling (Discord italics, Matrix notices)
// around these words, so every network says the same thing.
import type { Attachment, GroupEvent, IMessage, Reaction } from '../../imessage/model.ts';
import type { SendFate } from '../events.ts';
import { actorName, type NameOf } from './titles.ts';

/** "Ann added Bob", "You named the conversation “Trip”". */
export function groupEventSentence(e: GroupEvent, nameOf: NameOf): string {
  const actor = actorName(e.actor, nameOf);
  const target = e.handle ? actorName(e.handle, nameOf) : 'someone';
  switch (e.type) {
    case 'renamed': return `${actor} named the conversation “${e.name ?? ''}”`;
    case 'member_added': return `${actor} added ${target} to the conversation`;
    case 'member_removed': return `${actor} removed ${target} from the conversation`;
    case 'member_left': return `${e.handle ? target : actor} left the conversation`;
    case 'photo_changed': return `${actor} changed the group photo`;
  }
}

const REACTION_VERBS: Record<Reaction['type'], string> = {
  love: 'loved', like: 'liked', dislike: 'disliked', laugh: 'laughed at', emphasize: 'emphasized',
  question: 'questioned', emoji: 'reacted to', sticker: 'put a sticker on',
};

/** "Ann loved <target> ❤️" / "Ann removed a reaction ❤️ from <target>"; `target` defaults to "a message". */
export function tapbackSentence(r: Reaction, who: string, target = 'a message'): string {
  const emoji = r.emoji ? ` ${r.emoji}` : '';
  return r.removed ? `${who} removed a reaction${emoji} from ${target}` : `${who} ${REACTION_VERBS[r.type]} ${target}${emoji}`;
}

/** A message with no text to show (an iMessage app, an unknown kind): what stands in for it, or null. */
export function fallbackLine(m: Pick<IMessage, 'kind' | 'balloonBundleId'>): string | null {
  if (m.kind === 'app') return `sent an iMessage app message${m.balloonBundleId ? ` (${m.balloonBundleId.split('.').pop()})` : ''}; open Messages to see it`;
  return null;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(1)} ${units[i]}`;
}

export const attachmentName = (a: Pick<Attachment, 'transferName' | 'path' | 'part'>): string =>
  a.transferName ?? a.path?.split('/').pop() ?? `attachment-${a.part}`;

/**
 * Why an attachment is not shown as a file:
 * - `not_downloaded`: Messages has not fetched it (iCloud, or not opened yet);
 * - `gone`: chat.db names a file that is no longer on disk (deleted, offloaded);
 * - `unreadable`: the file is there but could not be read or converted;
 * - `too_large`: over the network's upload limit.
 */
export type AttachmentProblem = 'not_downloaded' | 'gone' | 'unreadable' | 'too_large';

/** "📎 photo.jpg (the file is no longer on the Mac)": a readable line, never a raw error code. */
export function attachmentLine(a: Pick<Attachment, 'transferName' | 'path' | 'part' | 'size'>, why: AttachmentProblem, network = 'this chat'): string {
  const name = attachmentName(a);
  switch (why) {
    case 'not_downloaded': return `📎 ${name} (not downloaded on the Mac yet)`;
    case 'gone': return `📎 ${name} (the file is no longer on the Mac)`;
    case 'unreadable': return `📎 ${name} (the Mac could not read the file)`;
    case 'too_large': return `📎 ${name} (${formatBytes(a.size)}) is too large for ${network}; it stays in Messages.`;
  }
}

/** The problem behind a failed read of an attachment file: a missing file is "gone", anything else "unreadable". */
export function attachmentProblemOf(e: unknown): AttachmentProblem {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' ? 'gone' : 'unreadable';
}

/** Shown where an unsent message was, after the last text it showed. */
export const UNSENT_MARK = '(unsent)';

/** A Messages delivery error on the owner's message. */
export const notDeliveredSentence = (error: number): string => `Messages reports this message was not delivered (error ${error}).`;

/**
 * What the sender is told about their send, once per state; null for states
 * that show no words (queued, sending, sent are shown as reactions).
 */
export function fateSentence(fate: SendFate): string | null {
  switch (fate.state) {
    case 'failed': return `❌ Not sent to iMessage: ${fate.reason}${fate.code ? ` (${fate.code})` : ''}`;
    case 'unknown': return `❓ Messages did not confirm this send: ${fate.reason}. Check the chat on the Mac before sending again.`;
    default: return null;
  }
}

/** A send refused before it reached the outbox (not allowed, file too large…). */
export const refusedSentence = (reason: string): string => `❌ Not sent to iMessage: ${reason}`;

/**
 * The text an edit should show, or null when it shows nothing: Messages also
 * moves `date_edited` when a message is unsent, emptying its text, and that
 * "edit" must not replace the last visible text (the unsend strikes it out).
 */
export function editedText(m: Pick<IMessage, 'text' | 'unsent'>): string | null {
  return m.unsent || m.text.trim() === '' ? null : m.text;
}
