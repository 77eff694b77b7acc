// Shared pieces for the core tests: a simulator in a temp folder, a recording
// connector, a core wired to both, a log that tests can read, and waitFor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/log.ts';
import { BridgeCore, type CoreOptions, type WatchSettings } from '../../../src/core/core.ts';
import { openBridgeDb, type BridgeDb } from '../../../src/core/db/bridgeDb.ts';
import type { Connector, CoreHandle } from '../../../src/core/connector.ts';
import type { EventEnvelope, SendReceipt } from '../../../src/core/events.ts';
import type { ChatGuid } from '../../../src/ids.ts';
import type { MessageSender } from '../../../src/core/outbox/outbox.ts';
import { MessagesSimulator } from '../../../src/sim/simulator.ts';
import { pause, waitFor as sharedWaitFor, waitForAdvance } from '../../support/waitFor.ts';

export interface TestContext { after(fn: () => unknown): void }

export function tempDir(t: TestContext, prefix = 'core-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function makeSim(t: TestContext): { sim: MessagesSimulator; dir: string } {
  const dir = tempDir(t, 'core-sim-');
  const sim = MessagesSimulator.create({ dir: join(dir, 'sim') });
  t.after(() => sim.close({ pending: 'drop' }));
  return { sim, dir };
}

/** A logger whose lines tests can inspect. */
export function memoryLog(): { log: ReturnType<typeof createLogger>; lines: () => { level: number; msg: string; [k: string]: unknown }[] } {
  const out: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, cb) { out.push(...chunk.toString('utf8').split('\n').filter(Boolean)); cb(); } });
  const log = createLogger('debug', stream);
  return { log, lines: () => out.map((l) => JSON.parse(l) as { level: number; msg: string }) };
}

/** The suite's one condition wait (test/support/waitFor.ts), in this folder's argument order. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  await sharedWaitFor(what, cond, timeoutMs);
}

/**
 * The sentinel for "this was NOT delivered", instead of a sleep: two more
 * watcher passes (so whatever chat.db holds by now has been read and
 * journaled), then no connector lane has a backlog. Anything that was going
 * to reach a connector has reached it by then.
 */
export async function settled(core: BridgeCore): Promise<void> {
  await waitForAdvance('watcher passes', () => core.watcher.passes, 2);
  await sharedWaitFor('every delivery lane drained', () => core.deliveryStats().every((s) => s.backlog === 0));
}

export interface RecordingOptions {
  wants?: (chat: ChatGuid) => boolean;
  /** Throw this many times before delivering (per connector). */
  failTimes?: number;
  /** Throw while this returns true. */
  failWhile?: () => boolean;
  delayMs?: number;
  /** Hold every delivery until this settles: a connector that is slow for exactly as long as the test needs. */
  gate?: Promise<void>;
}

/** A connector that records what it receives, in order. */
export class RecordingConnector implements Connector {
  readonly received: EventEnvelope[] = [];
  readonly fates: SendReceipt[] = [];
  attempts = 0;
  core: CoreHandle | null = null;
  constructor(readonly id: string, private readonly o: RecordingOptions = {}) {}
  async start(core: CoreHandle): Promise<void> { this.core = core; }
  async stop(): Promise<void> {}
  wants(chat: ChatGuid): boolean { return this.o.wants?.(chat) ?? true; }
  async deliver(env: EventEnvelope): Promise<void> {
    this.attempts++;
    if (this.o.delayMs) await pause(this.o.delayMs); // a slow connector is what the test sets up
    if (this.o.gate) await this.o.gate;
    if ((this.o.failTimes ?? 0) > 0) { this.o.failTimes!--; throw new Error('remote is down'); }
    if (this.o.failWhile?.()) throw new Error('remote is down');
    this.received.push(env);
  }
  keys(): string[] { return this.received.map((e) => e.key); }
}

export class RecordingFateConnector extends RecordingConnector {
  async reportFate(r: SendReceipt): Promise<void> { this.fates.push(r); }
}

export const FAST_WATCH: WatchSettings = { pollIntervalMs: 200, debounceMs: 20, rescanWindowMs: 10 * 60_000, orphanRetryMs: 5_000, flipHoldMs: 5_000 };

/** A sender that never runs osascript (for tests that don't send). */
export const NO_SENDER: MessageSender = { send: async () => ({ ok: false, error: Object.assign(new Error('no sender in this test'), { code: 'unknown', advice: '', retryable: false }) as never }) };

export interface StartedCore { core: BridgeCore; db: BridgeDb; stop: () => Promise<void> }

export async function startCore(t: TestContext, o: { sim: MessagesSimulator; dbPath: string } & Partial<Omit<CoreOptions, 'db' | 'chatDbPath'>>): Promise<StartedCore> {
  const db = openBridgeDb(o.dbPath);
  const core = new BridgeCore({
    db, chatDbPath: o.sim.dbPath, sender: o.sender ?? NO_SENDER, connectors: o.connectors ?? [], log: o.log ?? memoryLog().log,
    watch: { home: o.sim.home, ...(o.watch ?? FAST_WATCH) }, confirmTimeoutMs: o.confirmTimeoutMs ?? 5_000, delivery: o.delivery ?? { retryBaseMs: 50, retryMaxMs: 400 },
    ...(o.region ? { region: o.region } : {}),
  });
  await core.start();
  let stopped = false;
  const stop = async (): Promise<void> => { if (stopped) return; stopped = true; await core.stop(); db.close(); };
  t.after(stop);
  return { core, db, stop };
}
