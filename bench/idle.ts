// CPU used by an idle watcher on the 1M-message simulated chat.db: the poll,
// the change rescans and the file watches must stay well under 1% of a core.
import { ChatDbWatcher, MemoryCursorStore } from '../src/imessage/watch/index.ts';
import { createLogger } from '../src/log.ts';
import { bigDatabase } from './support/bigDb.ts';

const SECONDS = Number(process.env.IDLE_SECONDS ?? 30);
const { path } = bigDatabase();
const watcher = new ChatDbWatcher({
  dbPath: path, consumer: 'bench', cursors: new MemoryCursorStore(), onBatch: async () => undefined, log: createLogger('warn'),
  pollIntervalMs: 2000, debounceMs: 50, rescanWindowMs: 600_000, orphanRetryMs: 30_000, startAt: 'end',
});
await watcher.start();
await new Promise((r) => setTimeout(r, 3000));
const cpu0 = process.cpuUsage();
const t0 = Date.now();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const cpu = process.cpuUsage(cpu0);
console.log(`idle_cpu_1m_db_percent ${(((cpu.user + cpu.system) / 1000 / (Date.now() - t0)) * 100).toFixed(2)} %`);
await watcher.stop();
process.exit(0);
