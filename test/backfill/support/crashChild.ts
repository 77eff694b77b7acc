// The bridge as a separate process for the backfill SIGKILL test: a core on
// the simulator's chat.db with one connector that takes history and appends
// every delivery to a file (the remote side; it does NOT deduplicate).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { BridgeCore } from '../../../src/core/core.ts';
import { openBridgeDb } from '../../../src/core/db/bridgeDb.ts';
import type { ReconcilingConnector } from '../../../src/core/connector.ts';
import type { EventEnvelope } from '../../../src/core/events.ts';
import { createLogger } from '../../../src/log.ts';
import { NO_SENDER } from '../../core/support/harness.ts';
import { pause } from '../../support/waitFor.ts';

const [dbPath, home, bridgeDb, record] = process.argv.slice(2) as [string, string, string, string];

class FileRemote implements ReconcilingConnector {
  readonly id = 'file';
  readonly backfill = { messages: 50, maxAgeDays: 30 };
  private readonly landed = new Set<string>(existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { key: string }).key) : []);
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  wants(): boolean { return true; }
  async deliver(env: EventEnvelope): Promise<void> {
    appendFileSync(record, `${JSON.stringify({ key: env.key, chat: env.chatGuid, type: env.event.type, text: env.event.message.text, date: env.event.message.date })}\n`);
    this.landed.add(env.key);
    // A wide window between "landed remotely" and "marked done", where a kill must be reconciled.
    await pause(25);
  }
  async reconcile(env: EventEnvelope): Promise<'delivered' | 'missing'> {
    return this.landed.has(env.key) ? 'delivered' : 'missing';
  }
}

const db = openBridgeDb(bridgeDb);
const core = new BridgeCore({
  db, chatDbPath: dbPath, sender: NO_SENDER, connectors: [new FileRemote()], log: createLogger('error'),
  watch: { home, pollIntervalMs: 100, debounceMs: 10, rescanWindowMs: 600_000, orphanRetryMs: 5_000 },
  confirmTimeoutMs: 5_000, delivery: { retryBaseMs: 20, retryMaxMs: 200 },
});
await core.start();
process.stdout.write('ready\n');
