// `imessage-bridge messages`: messages in ROWID order, optionally one chat's,
// streamed page by page so a huge chat.db prints without loading it whole.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ChatDb } from '../../imessage/db/index.ts';
import { messageToJson } from '../../imessage/json.ts';
import type { IMessage } from '../../imessage/model.ts';
import { resolveChatDbPath, withDbOptions, type DbOptions } from './chats.ts';

interface MessagesOptions extends DbOptions { chat?: string; sinceRowid?: number; limit?: number }

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number (0 or more).');
  return n;
}

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

export function registerMessages(program: Command): void {
  withDbOptions(program.command('messages').description('Print messages from chat.db, oldest first'))
    .option('--chat <guid|handle>', 'only this chat (a chat guid, or a phone/email for its 1:1 chats)')
    .option('--since-rowid <n>', 'only messages with ROWID greater than n', nonNegativeInt)
    .option('--limit <n>', 'at most n messages', nonNegativeInt)
    .action((o: MessagesOptions) => {
      const db = ChatDb.open(resolveChatDbPath(o));
      try {
        const it = db.iterateMessages({
          ...(o.chat !== undefined && { chat: o.chat }),
          ...(o.sinceRowid !== undefined && { sinceRowid: o.sinceRowid }),
          ...(o.limit !== undefined && { limit: o.limit }),
        });
        let buf = '';
        for (const m of it) {
          buf += (o.json ? JSON.stringify(messageToJson(m)) : formatMessage(m)) + '\n';
          if (buf.length > 1 << 16) { process.stdout.write(buf); buf = ''; }
        }
        if (buf) process.stdout.write(buf);
      } finally {
        db.close();
      }
    });
}
