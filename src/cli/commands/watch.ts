// `imessage-bridge watch [--json]`: streams new messages and changes (edits,
// unsends, delivered/read/failed) as they land in chat.db. Read-only: the
// cursor lives in memory and starts at the newest row.
import type { Command } from 'commander';
import { createLogger } from '../../log.ts';
import { messageToJson } from '../../imessage/json.ts';
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

function formatItem(item: WatchItem): string | null {
  if (item.type === 'new') return formatMessage(item.message);
  if (item.type === 'change') return `[${item.change}] ${formatMessage(item.message)}`;
  return null;
}

export function registerWatch(program: Command): void {
  program.command('watch')
    .description('Stream new messages and changes from chat.db until interrupted')
    .option('--json', 'one JSON object per line (the message JSON plus a "type" field)')
    .option('--db <path>', 'path of chat.db (default: imessage.chat_db from the config)')
    .option('--config <file>', 'config file (default: ./config.yaml if present)')
    .action(async (o: WatchOptions) => {
      const config = cliConfig(o);
      const im = config.imessage;
      const watcher = new ChatDbWatcher({
        dbPath: im.chat_db, consumer: 'cli-watch', cursors: new MemoryCursorStore(), log: createLogger(process.env.LOG_LEVEL ?? 'warn'),
        home: homeOf(im.chat_db), pollIntervalMs: im.poll_interval_ms, debounceMs: im.debounce_ms, rescanWindowMs: im.rescan_window_ms,
        orphanRetryMs: im.orphan_retry_ms, fileEvents: im.file_events,
        onBatch: (b) => {
          const out = b.items.map((i) => (o.json ? JSON.stringify(watchItemToJson(i)) : formatItem(i))).filter((l) => l !== null && l !== 'null');
          if (out.length) process.stdout.write(`${out.join('\n')}\n`);
        },
      });
      await watcher.start();
      await new Promise<void>((resolve) => {
        const done = (): void => { void watcher.stop().then(resolve); };
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
    });
}
