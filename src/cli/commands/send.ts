// `imessage-bridge send <chat-guid|handle> <text> [--file PATH]`: sends through
// the same outbox the daemon uses (in a private, in-memory queue), waits for
// chat.db to confirm, and prints the sent message's guid.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, resolve } from 'node:path';
import { defaultConfig, loadConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { BridgeCore } from '../../core/core.ts';
import { OPERATOR_SCOPE } from '../../core/send/policy.ts';
import { openBridgeDb } from '../../core/db/bridgeDb.ts';
import { isFinalFate, type SendReceipt } from '../../core/events.ts';
import { homeOf } from '../../daemon.ts';
import { chatGuid } from '../../ids.ts';
import { AppleScriptSender } from '../../imessage/send/index.ts';
import { createLogger } from '../../log.ts';

interface SendOptions { file?: string; db?: string; config?: string }

export class SendFailed extends Error {
  constructor(message: string, readonly advice: string, readonly exitCode = 1) { super(message); }
}

/** --config (or ./config.yaml when present), with --db overriding imessage.chat_db. */
export function cliConfig(o: { config?: string; db?: string }): Config {
  const file = o.config ?? (existsSync('config.yaml') ? 'config.yaml' : undefined);
  const config = file ? loadConfig(file) : defaultConfig();
  if (o.db) config.imessage.chat_db = resolve(o.db);
  return config;
}

export async function sendOnce(target: string, text: string | undefined, o: SendOptions): Promise<SendReceipt> {
  const config = cliConfig(o);
  const im = config.imessage;
  const home = homeOf(im.chat_db);
  const db = openBridgeDb(':memory:');
  const sender = new AppleScriptSender({ osascript: im.send.osascript, home, timeoutMs: im.send.timeout_ms, allowedFileDirs: [...im.send.allowed_file_dirs, ...(o.file ? [resolve(o.file, '..')] : [])], maxFileBytes: im.send.max_file_bytes });
  const core = new BridgeCore({
    db, chatDbPath: im.chat_db, sender, connectors: [], log: createLogger(process.env.LOG_LEVEL ?? 'error'), confirmTimeoutMs: im.send.confirm_timeout_ms,
    watch: { home, pollIntervalMs: Math.min(im.poll_interval_ms, 500), debounceMs: im.debounce_ms, rescanWindowMs: im.rescan_window_ms, orphanRetryMs: im.orphan_retry_ms, flipHoldMs: im.flip_hold_ms, fileEvents: im.file_events },
  });
  await core.start();
  try {
    const chat = core.watcher.reader()?.chat(target);
    const guid = chat?.guid ?? (target.includes(';') ? target : `any;-;${target}`);
    const fate = new Promise<SendReceipt>((done) => core.onFate((r) => { if (isFinalFate(r)) done(r); }));
    const user = userInfo().username;
    await core.send({
      chatGuid: chatGuid(guid), from: { connector: 'cli', userId: user, displayName: user },
      ...(text !== undefined && text !== '' ? { text } : {}), ...(o.file ? { file: { path: resolve(o.file), name: basename(o.file) } } : {}),
    }, OPERATOR_SCOPE);
    return await fate;
  } finally {
    await core.stop();
    await sender.dispose();
    db.close();
  }
}

export function registerSend(program: Command): void {
  program.command('send')
    .description('Send a message through Messages and print its guid once chat.db confirms it')
    .argument('<chat>', 'a chat guid (see `chats`), or a phone number / email')
    .argument('[text]', 'the text to send')
    .option('--file <path>', 'also send this file')
    .option('--db <path>', 'path of chat.db (default: imessage.chat_db from the config)')
    .option('--config <file>', 'config file (default: ./config.yaml if present)')
    .action(async (target: string, text: string | undefined, o: SendOptions) => {
      const r = await sendOnce(target, text, o);
      if (r.fate.state === 'sent') { process.stdout.write(`${r.fate.messageGuid}\n`); return; }
      if (r.fate.state === 'failed') throw new SendFailed(`send failed (${r.fate.code}): ${r.fate.reason}`, 'Nothing was sent; fix the cause above and send again.');
      if (r.fate.state === 'unknown') throw new SendFailed(`send unconfirmed: ${r.fate.reason}`, 'Check Messages before sending again: it may have been sent.', 3);
    });
}
