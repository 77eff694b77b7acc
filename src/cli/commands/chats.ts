// `imessage-bridge chats`: every conversation in chat.db, newest first.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { defaultConfig, loadConfig } from '../../config/load.ts';
import { ChatDb } from '../../imessage/db/index.ts';
import { chatToJson } from '../../imessage/json.ts';
import type { Chat } from '../../imessage/model.ts';

export interface DbOptions { db?: string; config?: string; json?: boolean }

/** --db wins; else imessage.chat_db from --config (or ./config.yaml when present); else the default path. */
export function resolveChatDbPath(o: DbOptions): string {
  if (o.db) return o.db;
  const file = o.config ?? (existsSync('config.yaml') ? 'config.yaml' : undefined);
  return (file ? loadConfig(file) : defaultConfig()).imessage.chat_db;
}

export function withDbOptions(cmd: Command): Command {
  return cmd
    .option('--db <path>', "path of chat.db (default: imessage.chat_db from the config, ~/Library/Messages/chat.db)")
    .option('--config <file>', 'config file (default: ./config.yaml if present)')
    .option('--json', 'one JSON object per line');
}

export function formatChat(c: Chat): string {
  const when = c.lastMessageAt === null ? '—'.padEnd(20) : new Date(c.lastMessageAt).toISOString().slice(0, 16).replace('T', ' ') + '    ';
  const name = c.displayName ?? (c.isGroup ? c.participants.join(', ') : c.identifier);
  return `${when}${c.isGroup ? 'group ' : '1:1   '}${c.service.padEnd(9)}${name}  (${c.guid})`;
}

export function registerChats(program: Command): void {
  withDbOptions(program.command('chats').description('List the conversations in chat.db, most recent first'))
    .action((o: DbOptions) => {
      const db = ChatDb.open(resolveChatDbPath(o));
      try {
        const chats = db.chats().sort((a, b) => (b.lastMessageAt ?? -Infinity) - (a.lastMessageAt ?? -Infinity));
        const out = chats.map((c) => (o.json ? JSON.stringify(chatToJson(c)) : formatChat(c)));
        if (out.length) process.stdout.write(out.join('\n') + '\n');
        else if (!o.json) process.stdout.write('no chats\n');
      } finally {
        db.close();
      }
    });
}
