// `imessage-bridge messages`: messages in ROWID order, optionally one chat's,
// streamed page by page so a huge chat.db prints without loading it whole
// (only `--limit n` holds its n rows, to print the newest n oldest first).
// A whole-table read (no --chat, no --limit) of more than a few thousand rows
// runs on worker threads (../messages/parallel.ts): reading and formatting are
// CPU-bound, and a lifetime of messages is a million rows.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ChatDb } from '../../imessage/db/index.ts';
import type { IMessage } from '../../imessage/model.ts';
import { ChunkWriter } from '../messages/chunkWriter.ts';
import { formatterFor } from '../messages/format.ts';
import { LineBuffer } from '../messages/lineBuffer.ts';
import { defaultThreads, parallelLines } from '../messages/parallel.ts';
import { resolveChatArg } from './chatArg.ts';
import { resolveChatDbPath, withDbOptions, type DbOptions } from './chats.ts';

export { formatMessage } from '../messages/format.ts';

interface MessagesOptions extends DbOptions { chat?: string; sinceRowid?: number; limit?: number; threads?: number }

/** Below this many rows, starting threads costs more than it saves. */
const PARALLEL_MIN_ROWS = 20_000;
/** Bytes of lines gathered before a write. */
const WRITE_BYTES = 1 << 16;

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number (0 or more).');
  return n;
}

function threadCount(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a number of threads from 1 to 64.');
  return n;
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
    .option('--threads <n>', `worker threads for a whole-table read (default 1; up to ${defaultThreads()} here: faster on an idle machine, ~40 MB more each)`, threadCount)
    .action(async (o: MessagesOptions) => {
      const db = ChatDb.open(resolveChatDbPath(o), { scan: true });
      const out = new ChunkWriter(process.stdout);
      const format = o.json ? 'json' : 'text';
      try {
        const whole = o.chat === undefined && o.limit === undefined;
        const after = o.sinceRowid ?? -1;
        const maxRowid = whole ? db.maxRowid() : 0;
        // One thread by default: it streams in bounded memory (< 200 MB on 1M rows);
        // each worker thread loads the modules again and decodes on a heap of its own (~40 MB on 1M rows), so threads are opt-in.
        const threads = maxRowid - after >= PARALLEL_MIN_ROWS ? (o.threads ?? 1) : 1;
        if (whole && threads > 1) {
          db.close();
          for await (const { bytes, written } of parallelLines({ path: db.path, format, after, maxRowid, threads })) {
            const full = out.write(bytes, written);
            if (full) await full;
            if (out.closed) break;
          }
          return;
        }
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
        const toLine = formatterFor(format);
        const lines = new LineBuffer(WRITE_BYTES * 2);
        for (const m of it) {
          lines.push(toLine(m));
          if (lines.length < WRITE_BYTES) continue;
          const full = out.write(lines.take());
          if (full) await full;
          if (out.closed) break;
        }
        const last = out.write(lines.take());
        if (last) await last;
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
