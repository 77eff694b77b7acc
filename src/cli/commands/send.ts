// `imessage-bridge send <chat-guid|handle> <text|-> [--file PATH]`: sends through
// the same outbox the daemon uses (in a private, in-memory queue), waits for
// chat.db to confirm, and prints the sent message's guid. The recipient and
// text are checked first (src/imessage/send/validate.ts), so bad input fails
// at once; a text over SEND_PART_BYTES goes as several messages, in order.
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
import { AppleScriptSender, recipientProblem, splitText, textProblem, textWarnings, type SendProblem } from '../../imessage/send/index.ts';
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

/** Bad input: exit 2, before anything is queued. */
const refused = (p: SendProblem): SendFailed => new SendFailed(p.message, p.advice, 2);

/** The receipts of each part, in order; the file goes with the last. Stops at the first part that is not sent. */
export async function sendOnce(target: string, text: string | undefined, o: SendOptions, warn: (line: string) => void = () => undefined): Promise<SendReceipt[]> {
  const hasText = text !== undefined && text !== '';
  if (!hasText && !o.file) throw new SendFailed('nothing to send: give a text (or - to read it from stdin) or --file', 'e.g. imessage-bridge send +15551234567 "hello"', 2);
  if (hasText) {
    const bad = textProblem(text);
    if (bad) throw refused(bad);
    for (const w of textWarnings(text)) warn(`warning: ${w}`);
  }
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
    const reader = core.watcher.reader();
    const chat = reader?.chat(target);
    if (!chat) {
      const bad = recipientProblem(target, reader ? { isKnownChat: (g) => reader.chat(g) !== null } : {});
      if (bad) throw refused(bad);
    }
    const guid = chat?.guid ?? (target.includes(';') ? target : `any;-;${target}`);
    const user = userInfo().username;
    const parts: (string | undefined)[] = hasText ? splitText(text) : [undefined];
    if (parts.length > 1) warn(`the text is long: it is sent as ${parts.length} messages, in order`);
    const receipts: SendReceipt[] = [];
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      const receipt = await core.send({
        chatGuid: chatGuid(guid), from: { connector: 'cli', userId: user, displayName: user },
        ...(part !== undefined ? { text: part } : {}), ...(last && o.file ? { file: { path: resolve(o.file), name: basename(o.file) } } : {}),
      }, OPERATOR_SCOPE);
      const done = await settled(core, receipt);
      receipts.push(done);
      if (done.fate.state !== 'sent') break;
    }
    return receipts;
  } finally {
    await core.stop();
    await sender.dispose();
    db.close();
  }
}

/** The receipt once its fate is final (sent, failed or unknown). */
function settled(core: BridgeCore, r: SendReceipt): Promise<SendReceipt> {
  const final = (x: SendReceipt) => isFinalFate(x);
  return new Promise((done) => {
    const off = core.onFate((x) => { if (x.id === r.id && final(x)) { off(); done(x); } });
    const now = core.outbox.receipt(r.id);
    if (now && final(now)) { off(); done(now); }
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerSend(program: Command): void {
  program.command('send')
    .description('Send a message through Messages and print its guid once chat.db confirms it')
    .argument('<chat>', 'a chat guid (see `chats`), or a phone number / email')
    .argument('[text]', 'the text to send, or - to read it from stdin (long texts are sent as several messages)')
    .option('--file <path>', 'also send this file')
    .option('--db <path>', 'path of chat.db (default: imessage.chat_db from the config)')
    .option('--config <file>', 'config file (default: ./config.yaml if present)')
    .action(async (target: string, text: string | undefined, o: SendOptions) => {
      const body = text === '-' ? await readStdin() : text;
      const all = await sendOnce(target, body, o, (l) => process.stderr.write(`${l}\n`));
      for (const x of all) if (x.fate.state === 'sent') process.stdout.write(`${x.fate.messageGuid}\n`);
      const r = all.at(-1)!;
      if (r.fate.state === 'sent') return;
      if (all.length > 1) process.stderr.write(`${all.length - 1} of the parts before this one were sent.\n`);
      if (r.fate.state === 'failed') throw new SendFailed(`send failed (${r.fate.code}): ${r.fate.reason}`, 'Nothing was sent; fix the cause above and send again.');
      if (r.fate.state === 'unknown') throw new SendFailed(`send unconfirmed: ${r.fate.reason}`, 'Check Messages before sending again: it may have been sent.', 3);
    });
}
