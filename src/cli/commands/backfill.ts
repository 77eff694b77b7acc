// `imessage-bridge backfill <chat> [--messages N]`: history for a portal that
// already exists. The command only plans and queues (the core's Backfiller,
// into the bridge database, in one transaction); the running bridge posts it
// through the same exactly-once journal as live messages, and this command
// follows the run's progress from the database (a bar on a terminal).
// Discord shows missing history in an "Earlier messages" thread beside the
// channel. Matrix can't put events before existing ones, so history only fits
// a new room: the command says so and, with --recreate, replaces the room.
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { Config } from '../../config/schema.ts';
import { Backfiller } from '../../core/backfill/index.ts';
import { backfillLimits } from '../../core/backfill/limits.ts';
import type { BackfillLimits } from '../../core/backfill/plan.ts';
import { openBridgeDb, type BridgeDb } from '../../core/db/bridgeDb.ts';
import { ChatDb } from '../../imessage/db/index.ts';
import type { Chat } from '../../imessage/model.ts';
import { createLogger } from '../../log.ts';
import { MatrixStore } from '../../connectors/matrix/store.ts';
import { EARLIER_THREAD, replacedRoomKey } from '../../core/backfill/types.ts';
import type { UserFacingError } from '../errors.ts';
import { resolveChatArg } from './chatArg.ts';
import { cliConfig } from './send.ts';

export interface BackfillOptions { messages?: string; connector?: string; recreate?: boolean; wait?: boolean; timeout?: string; config?: string; db?: string }

export class BackfillCliError extends Error implements UserFacingError {
  constructor(message: string, readonly advice: string, readonly exitCode = 1) { super(message); }
}

interface Out { write(s: string): unknown; isTTY?: boolean }

/** One queued run to follow, with what to say when it is done. */
interface Followed { connector: string; run: number; total: number; done: string }

const CONNECTORS = ['discord', 'matrix'] as const;
type ConnectorId = (typeof CONNECTORS)[number];

function parseMessages(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new BackfillCliError(`--messages must be a whole number from 1 to 10000, not "${raw}".`, 'For example: --messages 100');
  return n;
}

function pickConnectors(config: Config, only: string | undefined): ConnectorId[] {
  const configured = CONNECTORS.filter((c) => config[c]);
  if (configured.length === 0) throw new BackfillCliError('No connector is configured, so there is no portal to backfill.', 'Add a discord: or matrix: section to the config (see config.example.yaml).');
  if (only === undefined) return configured;
  if (!CONNECTORS.includes(only as ConnectorId)) throw new BackfillCliError(`Unknown connector "${only}".`, 'Use --connector discord or --connector matrix.');
  if (!configured.includes(only as ConnectorId)) throw new BackfillCliError(`The ${only} connector is not configured.`, `Add a ${only}: section to the config, or leave --connector out.`);
  return [only as ConnectorId];
}

/** Queue what each connector can take honestly; returns the runs to follow, and writes what it did or why not. */
export function queueBackfill(arg: string, o: BackfillOptions, out: Out): { followed: Followed[]; close(): void } {
  const config = cliConfig(o);
  const messages = parseMessages(o.messages);
  const connectors = pickConnectors(config, o.connector);
  const chatDb = ChatDb.open(config.imessage.chat_db);
  let db: BridgeDb | null = null;
  const close = (): void => { db?.close(); chatDb.close(); };
  try {
    const chats = resolveChatArg(arg, chatDb.chats());
    db = openBridgeDb(config.bridge.database);
    const backfiller = new Backfiller({ db, connectors: [], reader: () => chatDb, log: createLogger(process.env.LOG_LEVEL ?? 'error') });
    const followed: Followed[] = [];
    for (const id of connectors) {
      const section = config[id]!;
      const limits: BackfillLimits = { ...backfillLimits(config.bridge.backfill, section.backfill), ...(messages !== undefined ? { messages } : {}) };
      if (limits.messages <= 0) limits.messages = 50;
      // Several chats for one person (iMessage and SMS): the one this connector shows.
      const chat: Chat = chats.find((c) => backfiller.runs.hasPortal(id, c.guid)) ?? chats[0]!;
      const name = chat.displayName ?? chat.identifier;
      if (!backfiller.runs.hasPortal(id, chat.guid)) {
        out.write(`${id}: ${name} has no ${id === 'discord' ? 'channel' : 'room'} yet; a new one starts with its history (bridge.backfill), so there is nothing to do.\n`);
        continue;
      }
      if (id === 'discord') {
        if (config.discord!.mode === 'forum') {
          out.write(`discord: ${name} is a forum post, and a forum post can't hold an "${EARLIER_THREAD}" thread; nothing was queued.\n`);
          continue;
        }
        const q = backfiller.queueMissing(id, limits, chat);
        if (q.total === 0) { out.write(`discord: the channel for ${name} already shows its last ${limits.messages} messages; nothing to add.\n`); continue; }
        followed.push({ connector: id, run: q.run, total: q.total, done: `discord: posted ${q.total} earlier message${q.total === 1 ? '' : 's'} of ${name} in the thread "${EARLIER_THREAD}".` });
        continue;
      }
      if (!o.recreate) {
        out.write([
          `matrix: ${name} already has a room. Matrix can't insert messages before ones a room already has, so its history can only go into a new room.`,
          `  To replace the room with a new one that starts with the last ${limits.messages} messages, run:`,
          `  imessage-bridge backfill ${JSON.stringify(arg)}${messages !== undefined ? ` --messages ${messages}` : ''} --connector matrix --recreate`,
          '  The old room stays readable and points to the new one.',
        ].join('\n') + '\n');
        continue;
      }
      const q = db.transaction(() => {
        const r = backfiller.recreate(id, limits, chat);
        if (r.replaced) new MatrixStore(db!).set(replacedRoomKey(id, chat.guid), r.replaced);
        return r;
      })();
      followed.push({ connector: id, run: q.run, total: q.total, done: `matrix: ${name} has a new room with its last ${q.total} message${q.total === 1 ? '' : 's'}; the old room points to it.` });
    }
    return { followed, close };
  } catch (e) {
    close();
    throw e;
  }
}

/** Follow the runs until posted; gives up waiting (not the run) when nothing moves for `timeoutMs`. */
async function follow(db: BridgeDb, runs: Followed[], out: Out, timeoutMs: number): Promise<boolean> {
  const store = new Backfiller({ db, connectors: [], reader: () => null, log: createLogger('silent') }).runs;
  const bars = out.isTTY ? new cliProgress.MultiBar({ format: ' {connector} |{bar}| {value}/{total} messages', hideCursor: true, clearOnComplete: false, stream: out as NodeJS.WritableStream }, cliProgress.Presets.shades_classic) : null;
  const bar = new Map(runs.map((r) => [r.run, bars?.create(r.total, 0, { connector: r.connector.padEnd(7) })]));
  let last = -1;
  let movedAt = Date.now();
  try {
    for (;;) {
      const progress = runs.map((r) => store.one(r.run)?.delivered ?? 0);
      progress.forEach((n, i) => bar.get(runs[i]!.run)?.update(n));
      const sum = progress.reduce((a, b) => a + b, 0);
      if (sum !== last) { last = sum; movedAt = Date.now(); }
      if (progress.every((n, i) => n >= runs[i]!.total)) return true;
      if (Date.now() - movedAt > timeoutMs) return false;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    bars?.stop();
  }
}

export async function runBackfill(arg: string, o: BackfillOptions, out: Out = process.stdout): Promise<void> {
  const timeoutMs = o.timeout === undefined ? 30_000 : Number(o.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new BackfillCliError(`--timeout must be a number of seconds, not "${o.timeout}".`, 'For example: --timeout 60');
  const { followed, close } = queueBackfill(arg, o, out);
  try {
    if (followed.length === 0) return;
    if (o.wait === false) {
      for (const f of followed) out.write(`${f.connector}: ${f.total} messages queued; the running bridge posts them (see /imessage status, or the Matrix management room).\n`);
      return;
    }
    const config = cliConfig(o);
    const db = openBridgeDb(config.bridge.database);
    try {
      const done = await follow(db, followed, out, timeoutMs);
      if (!done) {
        throw new BackfillCliError('The history is queued, but nothing was posted for a while.',
          'Is the bridge running (`imessage-bridge run` or the service)? It posts the queued history when it runs; nothing is lost. Follow it with /imessage status.', 3);
      }
      for (const f of followed) out.write(`${f.done}\n`);
    } finally {
      db.close();
    }
  } finally {
    close();
  }
}

export function registerBackfill(program: Command): void {
  program.command('backfill')
    .description('Add a chat\'s history to a portal that already exists (Discord: an "Earlier messages" thread; Matrix: a new room)')
    .argument('<chat>', 'a chat guid, a group name, or a phone number / email (see `chats`)')
    .option('--messages <n>', 'how many of the latest messages (default: the backfill.messages setting)')
    .option('--connector <id>', 'only this connector: discord or matrix')
    .option('--recreate', 'Matrix: replace the room with a new one that starts with the history')
    .option('--no-wait', 'queue the history and return at once')
    .option('--timeout <seconds>', 'stop waiting when nothing is posted for this long (default 30)')
    .option('--config <file>', 'config file (default: ./config.yaml if present)')
    .action((chat: string, o: BackfillOptions) => runBackfill(chat, o));
}
