// The search backfill's read processes (src/api/search/backfill.ts, src/threads.ts):
// they end with the backfill, so its memory leaves with them; one that dies
// fails the backfill with a clear error and loses nothing (the next start goes
// on from the mark); and they do not outlive a gateway that is killed.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { apiSection } from '../../src/config/sections/api.ts';
import { openBridgeDb, type BridgeDb } from '../../src/core/db/bridgeDb.ts';
import { startApi, type RunningApi } from '../../src/api/index.ts';
import { TokenStore } from '../../src/api/tokens.ts';
import { apiKit } from '../../src/core/kit/api.ts';
import { generate } from '../../src/sim/generator.ts';
import { FakeGateway } from './support/fakeGateway.ts';
import { bearer, http } from './support/harness.ts';
import { waitFor } from '../support/waitFor.ts';

/** Live search read processes whose parent is `parent` (Linux /proc; the CI machines). */
function readersOf(parent: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== parent || fields[0] === 'Z') continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('backfillWorker')) pids.push(Number(name));
    } catch { /* gone meanwhile */ }
  }
  return pids;
}
const alive = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch { return false; }
};

describe('search read processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imb-search-readers-'));
  const gen = generate({ dir: join(dir, 'gen'), messages: 20_000, chats: 12, seed: 16 });
  const home = join(dir, 'gen', 'home');
  const running: { api: RunningApi; db: BridgeDb }[] = [];
  const start = async (name: string, searchReaders: number): Promise<{ api: RunningApi; db: BridgeDb; token: string }> => {
    const db = openBridgeDb(join(dir, `${name}.db`));
    const token = new TokenStore(db).create(['read'], `t${Date.now()}-${Math.random()}`).token;
    const api = await startApi({
      config: apiSection.parse({ port: 0, web_client: false }), chatDbPath: gen.dbPath, home, kit: apiKit(db),
      gateway: new FakeGateway(), log: pino({ level: 'silent' }), progress: false, searchReaders, searchBatch: 100,
    });
    running.push({ api, db });
    return { api, db, token };
  };
  const stop = async (s: { api: RunningApi; db: BridgeDb }): Promise<void> => { await s.api.stop(); s.db.close(); running.splice(running.indexOf(s), 1); };
  const indexRows = (db: BridgeDb): unknown[] => db.prepare('SELECT rowid, text, chat_key, chat_guid, sender, date, guid FROM search_fts ORDER BY rowid').raw().all();
  after(async () => {
    for (const s of [...running]) await stop(s);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a reader that dies fails the backfill with a clear error, the API keeps answering, and the next start completes the index', async () => {
    const first = await start('killed', 2);
    const outcome = first.api.searchReady.then(() => 'finished', (e: Error) => e.message);
    const victim = await waitFor('a read process to start', () => readersOf(process.pid)[0]);
    process.kill(victim, 'SIGKILL');
    assert.match(await outcome, /search backfill read process stopped \(killed by SIGKILL\)/);
    await waitFor('every read process to be gone', () => readersOf(process.pid).length === 0);
    const chats = await http(`${first.api.url}/v1/chats?limit=5`, { headers: bearer(first.token) });
    assert.equal(chats.status, 200, 'the API answers after the backfill failed');
    const partial = indexRows(first.db).length;
    await stop(first);

    const again = await start('killed', 2);
    await again.api.searchReady;
    const reference = await start('reference', 0);
    await reference.api.searchReady;
    const rows = indexRows(again.db);
    assert.ok(rows.length > partial && rows.length > 10_000, `the second start indexed the rest (${partial} → ${rows.length})`);
    assert.deepEqual(rows, indexRows(reference.db), 'the same index as one backfill on the API thread');
    await waitFor('the read processes to exit once the index is complete', () => readersOf(process.pid).length === 0);
  });

  it('read processes exit when the gateway process is killed mid-backfill', async () => {
    const host = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'support/backfillHost.ts'), gen.dbPath, home, join(dir, 'host.db')], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const readers = await waitFor('the gateway\'s read processes', () => { const r = readersOf(host.pid!); return r.length === 2 && r; });
      host.kill('SIGKILL');
      await waitFor(`read processes ${readers.join(', ')} to exit after their gateway died`, () => readers.every((pid) => !alive(pid)));
    } finally {
      host.kill('SIGKILL');
    }
    assert.ok(existsSync(join(dir, 'host.db')), 'the gateway had opened its database');
  });
});
