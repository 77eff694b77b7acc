// The gateway as bench/api.ts measures it, in a process of its own: startApi
// as `run` starts it (Contacts names on, here with no Contacts database), on
// the benchmark chat.db, building the search index first.
// Usage: apiServer.ts <chat.db> <home> <bridge.db>; prints {"url", "backfill_s", "indexed"} when ready.
import { join } from 'node:path';
import { pino } from 'pino';
import { apiSection } from '../../src/config/sections/api.ts';
import { openBridgeDb } from '../../src/core/db/bridgeDb.ts';
import { startApi } from '../../src/api/index.ts';
import { readProcessesFor } from '../../src/api/search/backfill.ts';
import { namedJson } from '../../src/api/namedJson.ts';
import { ContactBook } from '../../src/imessage/contacts/index.ts';
import { FakeGateway } from '../../test/api/support/fakeGateway.ts';
import { apiKit } from '../../src/core/kit/api.ts';

const [chatDbPath, home, bridgePath] = process.argv.slice(2) as [string, string, string];
const contacts = new ContactBook({ dir: join(home, 'Library/Application Support/AddressBook'), defaultRegion: 'US' });
const readers = process.env.SEARCH_READERS ? Number(process.env.SEARCH_READERS) : readProcessesFor(Number.MAX_SAFE_INTEGER);
const api = await startApi({
  config: apiSection.parse({ port: 0, web_client: false }), chatDbPath, home, kit: apiKit(openBridgeDb(bridgePath)),
  gateway: new FakeGateway(), log: pino({ level: 'warn' }), json: namedJson(contacts), progress: false,
  // SEARCH_READERS=0 backfills on the API's thread only (default: startApi's choice).
  searchReaders: readers,
});
const built = await api.searchReady;
const mem = process.memoryUsage();
const mb = (n: number): number => Math.round(n / 1048576);
process.stdout.write(`${JSON.stringify({ url: api.url, backfill_s: built.seconds, indexed: built.indexed, read_processes: readers, heap_mb: mb(mem.heapUsed), heap_total_mb: mb(mem.heapTotal), external_mb: mb(mem.external) })}\n`);
// A clean exit (so --cpu-prof can write its profile).
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => { void api.stop().finally(() => process.exit(0)); });
// SIGUSR2: where the memory is (V8 heap vs the rest: SQLite caches, malloc), on stderr.
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.(); // with --expose-gc: what is retained, not garbage
  const m = process.memoryUsage();
  process.stderr.write(`memory ${JSON.stringify({ rss_mb: mb(m.rss), heap_used_mb: mb(m.heapUsed), heap_total_mb: mb(m.heapTotal), external_mb: mb(m.external), array_buffers_mb: mb(m.arrayBuffers) })}\n`);
});
