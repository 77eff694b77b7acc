// How `messages` prints one message: the JSON contract line (--json), or one
// human line. Its own module so the read threads (worker.ts) load only this.
import { messageJsonLine } from '../../imessage/json.ts';
import type { IMessage } from '../../imessage/model.ts';

const short = (guid: string): string => guid.slice(0, 8);

/** One line: date, sender, text, and a marker for everything that is not plain text. */
export function formatMessage(m: IMessage): string {
  const when = m.date === null ? '????-??-?? ??:??:??' : new Date(m.date).toISOString().slice(0, 19).replace('T', ' ');
  const marks: string[] = [];
  if (m.reaction) marks.push(`[${m.reaction.removed ? 'removed ' : ''}${m.reaction.type}${m.reaction.emoji ? ` ${m.reaction.emoji}` : ''} → ${short(m.reaction.targetGuid)}${m.reaction.targetPart ? `/${m.reaction.targetPart}` : ''}]`);
  if (m.replyTo) marks.push(`[reply → ${short(m.replyTo.guid)}]`);
  if (m.event) marks.push(`[${m.event.type.replace('_', ' ')}${m.event.name !== undefined ? ` "${m.event.name}"` : ''}${m.event.handle ? ` ${m.event.handle}` : ''}]`);
  for (const a of m.attachments) marks.push(`[${a.isSticker ? 'sticker' : 'attachment'} ${a.transferName ?? a.mimeType ?? a.guid}]`);
  if (m.kind === 'url_preview') marks.push('[link preview]');
  if (m.kind === 'app') marks.push(`[app ${m.balloonBundleId?.split(':').at(-1) ?? ''}]`);
  if (m.dateEdited !== null) marks.push(`[edited${m.edits.length ? `, was "${m.edits.at(-1)}"` : ''}]`);
  if (m.unsent) marks.push('[unsent]');
  if (m.error) marks.push(`[not delivered: error ${m.error}]`);
  const text = m.unsent || m.kind === 'reaction' ? '' : m.text.replace(/\n/g, '\n    ');
  return `${when}  ${m.sender.padEnd(16)} ${[text, ...marks].filter(Boolean).join(' ')}`;
}

export type LineFormat = 'json' | 'text';

export function formatterFor(format: LineFormat): (m: IMessage) => string {
  return format === 'json' ? messageJsonLine : formatMessage;
}
