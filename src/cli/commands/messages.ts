// `imessage-bridge messages`: messages in ROWID order, optionally one chat's,
// streamed page by page so a huge chat.db prints without loading it whole
// (only `--limit n` holds its n rows, to print the newest n oldest first).
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ChatDb } from '../../imessage/db/index.ts';
import { messageJsonLine } from '../../imessage/json.ts';
import type { IMessage } from '../../imessage/model.ts';
import { resolveChatArg } from './chatArg.ts';
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

/** Lines to stdout in ~64 kB writes, waiting for 'drain' when a pipe is full (macOS pipes are asynchronous). */
class LineWriter {
  private buf = '';
  closed = false;
  constructor(private readonly out: NodeJS.WriteStream) {
    // A reader that went away (`| head`) ends the output quietly.
    out.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') this.closed = true; else throw e; });
  }

  /** Resolves at once unless a flushed chunk filled the pipe. */
  line(s: string): Promise<void> | undefined {
    this.buf += s + '\n';
    return this.buf.length > 1 << 16 ? this.flush() : undefined;
  }

  flush(): Promise<void> | undefined {
    if (this.buf === '' || this.closed) return undefined;
    const ok = this.out.write(this.buf);
    this.buf = '';
    if (ok) return undefined;
    return new Promise((resolve) => {
      const done = (): void => { this.out.off('drain', done); this.out.off('close', done); resolve(); };
      this.out.on('drain', done);
      this.out.on('close', done);
    });
  }
}

/** Several chats (one person's iMessage and SMS chats) as one stream in ROWID order; a message in two of them once. */
function* merged(streams: Iterator<IMessage>[], desc: boolean): Generator<IMessage> {
  const heads = streams.map((s) => s.next());
  let last = NaN;
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (h.done) continue;
      if (best < 0 || (desc ? h.value.rowid > heads[best]!.value!.rowid : h.value.rowid < heads[best]!.value!.rowid)) best = i;
    }
    if (best < 0) return;
    const m = heads[best]!.value as IMessage;
    heads[best] = streams[best]!.next();
    if (m.rowid !== last) yield m;
    last = m.rowid;
  }
}

export function registerMessages(program: Command): void {
  withDbOptions(program.command('messages').description('Print messages from chat.db, oldest first'))
    .option('--chat <name|number|guid>', "only this chat: a group's name, a phone number or email (its 1:1 chats), or a chat guid")
    .option('--since-rowid <n>', 'only messages with ROWID greater than n', nonNegativeInt)
    .option('--limit <n>', 'only the newest n messages (still printed oldest first)', nonNegativeInt)
    .action(async (o: MessagesOptions) => {
      const db = ChatDb.open(resolveChatDbPath(o));
      try {
        const chats = o.chat === undefined ? [undefined] : resolveChatArg(o.chat, db.chats()).map((c) => c.guid);
        // --limit: read newest first (only n rows), then print them in chronological order.
        const desc = o.limit !== undefined;
        const streams = chats.map((chat) => db.iterateMessages({
          ...(chat !== undefined && { chat }),
          ...(o.sinceRowid !== undefined && { sinceRowid: o.sinceRowid }),
          ...(o.limit !== undefined && { limit: o.limit }),
          ...(desc && { order: 'desc' as const }),
        }));
        let it: Iterable<IMessage> = streams.length === 1 ? streams[0]! : merged(streams, desc);
        if (desc) it = [...take(it, o.limit!)].reverse();
        const out = new LineWriter(process.stdout);
        const format = o.json ? messageJsonLine : formatMessage;
        for (const m of it) {
          const full = out.line(format(m));
          if (full) await full;
          if (out.closed) break;
        }
        await out.flush();
      } finally {
        db.close();
      }
    });
}

function* take<T>(it: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  let k = 0;
  for (const x of it) {
    yield x;
    if (++k >= n) return;
  }
}
