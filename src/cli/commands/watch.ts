// `imessage-bridge watch [--json]`: streams new messages and changes (edits,
// unsends, delivered/read/failed) as they land in chat.db. Read-only, with no
// durable cursor: it starts at the newest row, and what arrives while it is
// not running is not printed later.
import type { Command } from 'commander';
import { createLogger } from '../../log.ts';
import { messageToJson } from '../../imessage/json.ts';
import type { Chat, IMessage } from '../../imessage/model.ts';
import { ChatDbHandle } from '../../imessage/db/handle.ts';
import { ChatDbWatcher, MemoryCursorStore, type WatchItem } from '../../imessage/watch/index.ts';
import { homeOf } from '../../daemon.ts';
import { formatMessage } from './messages.ts';
import { cliConfig } from './send.ts';

interface WatchOptions { json?: boolean; db?: string; config?: string }

/**
 * The JSON contract line for one item: messageToJson plus `type` (message |
 * edit | unsend | delivered | read | failed). Not `event`: the message JSON
 * already uses that key for group events.
 */
export function watchItemToJson(item: WatchItem): Record<string, unknown> | null {
  if (item.type === 'new') return { type: 'message', ...messageToJson(item.message) };
  if (item.type === 'change') return { type: item.change, ...messageToJson(item.message) };
  return null;
}

export const chatLabel = (c: Chat): string => c.displayName ?? (c.isGroup ? c.participants.join(', ') : c.identifier);

/** One plain line: the chat, then the message as `messages` prints it. */
export function formatItem(item: WatchItem, chat: Chat | null): string | null {
  if (item.type !== 'new' && item.type !== 'change') return null;
  const where = `[${chat ? chatLabel(chat) : (item.message.chatGuid ?? 'no chat')}]`;
  const line = `${where} ${formatMessage(item.message)}`;
  return item.type === 'change' ? `[${item.change}] ${line}` : line;
}

/** Guids printed in this session, so a resync (chat.db replaced by a copy) prints nothing twice. Bounded. */
class Printed {
  private readonly guids = new Set<string>();
  constructor(private readonly max = 200_000) {}
  add(guid: string): void {
    this.guids.add(guid);
    if (this.guids.size > this.max) this.guids.delete(this.guids.values().next().value!);
  }
  has(guid: string): boolean { return this.guids.has(guid); }
}

export function registerWatch(program: Command): void {
  program.command('watch')
    .description('Stream new messages and changes from chat.db until interrupted')
    .option('--json', 'one JSON object per line (the message JSON plus a "type" field)')
    .option('--db <path>', 'path of chat.db (default: imessage.chat_db from the config)')
    .option('--config <file>', 'config file (default: ./config.yaml if present)')
    .addHelpText('after', '\nwatch keeps no durable cursor: it starts at the newest row each time, and messages that arrive while it is not\n'
      + 'running are not printed later. To catch up, use `messages --since-rowid N`; for a stream that resumes, `run` with the API.\n')
    .action(async (o: WatchOptions) => {
      const config = cliConfig(o);
      const im = config.imessage;
      const chatDb = ChatDbHandle.open(im.chat_db, { home: homeOf(im.chat_db) });
      const startedAt = Date.now();
      const printed = new Printed();
      const chats = new Map<string, Chat | null>();
      const chatOf = (m: IMessage): Chat | null => {
        if (!m.chatGuid) return null;
        if (!chats.has(m.chatGuid) || m.kind === 'group_event') chats.set(m.chatGuid, chatDb.chat(m.chatGuid));
        return chats.get(m.chatGuid) ?? null;
      };
      const watcher = new ChatDbWatcher({
        dbPath: im.chat_db, chatDb, consumer: 'cli-watch', cursors: new MemoryCursorStore(), log: createLogger(process.env.LOG_LEVEL ?? 'warn'),
        home: homeOf(im.chat_db), pollIntervalMs: im.poll_interval_ms, debounceMs: im.debounce_ms, rescanWindowMs: im.rescan_window_ms,
        orphanRetryMs: im.orphan_retry_ms, fileEvents: im.file_events,
        // Known: printed here, or older than this session (watch shows only what is new).
        isKnown: (m) => printed.has(m.guid) || (m.date !== null && m.date < startedAt),
        onBatch: (b) => {
          const out: string[] = [];
          for (const i of b.items) {
            const line = o.json ? (watchItemToJson(i) && JSON.stringify(watchItemToJson(i))) : formatItem(i, chatOf(i.message));
            if (!line) continue;
            out.push(line);
            if (i.type === 'new') printed.add(i.message.guid);
          }
          if (out.length) process.stdout.write(`${out.join('\n')}\n`);
        },
      });
      await watcher.start();
      // On stderr, so --json output stays one object per line.
      process.stderr.write(`watching ${im.chat_db} for new messages and changes (newest row ${chatDb.maxRowid()}); Ctrl-C to stop\n`);
      await new Promise<void>((resolve) => {
        const done = (): void => { void watcher.stop().finally(resolve); };
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      chatDb.close();
      // Nothing else is worth waiting for (a file watch being torn down must not keep us alive).
      process.exit(0);
    });
}
