// The search backfill on read processes (src/api/search/backfill.ts): the API
// answers while it runs, its progress shows in /metrics and grows, and the
// index it builds is the one the single-thread backfill builds.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { apiSection } from '../../src/config/sections/api.ts';
import { migrate, openBridgeDb, type BridgeDb } from '../../src/core/db/bridgeDb.ts';
import { migrations } from '../../src/core/db/migrations/index.ts';
import { startApi, type RunningApi } from '../../src/api/index.ts';
import { SearchIndex } from '../../src/api/search/index.ts';
import { TokenStore } from '../../src/api/tokens.ts';
import type { IMessage } from '../../src/imessage/model.ts';
import { generate } from '../../src/sim/generator.ts';
import { FakeGateway } from './support/fakeGateway.ts';
import { apiKit } from '../../src/core/kit/api.ts';

function get(url: string, token: string): Promise<{ status: number; body: string; ms: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - t }));
    }).on('error', reject).end();
  });
}

const gauge = (metrics: string, name: string): number => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics)?.[1] ?? NaN);

describe('search backfill on read processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imb-search-backfill-'));
  // The seeded generator's realistic chat.db (attributedBody blobs, reactions, group events).
  const { dbPath, home } = (() => { const r = generate({ dir: join(dir, 'gen'), messages: 20_000, chats: 12, seed: 15 }); return { dbPath: r.dbPath, home: join(dir, 'gen', 'home') }; })();
  const started: { api: RunningApi; db: BridgeDb }[] = [];
  const start = async (name: string, searchReaders: number): Promise<{ api: RunningApi; db: BridgeDb; token: string }> => {
    const db = openBridgeDb(join(dir, `${name}.db`));
    const token = new TokenStore(db).create(['read'], 'test').token;
    const api = await startApi({
      config: apiSection.parse({ port: 0, web_client: false }), chatDbPath: dbPath, home, kit: apiKit(db),
      gateway: new FakeGateway(), log: pino({ level: 'silent' }), progress: false, searchReaders, searchBatch: 250,
    });
    started.push({ api, db });
    return { api, db, token };
  };
  const indexRows = (db: BridgeDb): unknown[] => db.prepare('SELECT rowid, text, chat_key, chat_guid, sender, date, guid FROM search_fts ORDER BY rowid').raw().all();

  let threaded: Awaited<ReturnType<typeof start>>;
  const seen: number[] = [];
  const latencies: number[] = [];
  let target = 0;

  before(async () => {
    threaded = await start('threaded', 2);
    let done = false;
    void threaded.api.searchReady.finally(() => { done = true; });
    // While it runs: an ordinary read and the metrics, back to back.
    while (!done) {
      const chats = await get(`${threaded.api.url}/v1/chats?limit=5`, threaded.token);
      assert.equal(chats.status, 200);
      latencies.push(chats.ms);
      const m = await get(`${threaded.api.url}/metrics`, threaded.token);
      assert.equal(m.status, 200);
      seen.push(gauge(m.body, 'imb_search_backfill_through_rowid'));
      target = gauge(m.body, 'imb_search_backfill_target_rowid');
    }
    await threaded.api.searchReady;
  });
  after(async () => {
    for (const s of started) { await s.api.stop(); s.db.close(); }
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports progress that grows while the API keeps answering', async () => {
    const moving = seen.filter((v, i) => i > 0 && v > seen[i - 1]!);
    assert.ok(moving.length >= 2, `progress moved at least twice while polled (seen ${seen.join(', ')})`);
    assert.ok(seen.every((v, i) => i === 0 || v >= seen[i - 1]!), 'progress never goes back');
    assert.ok(target >= 20_000, `the target is the newest ROWID (${target})`);
    // Bound generous enough for a loaded 2-core machine; a blocked event loop (the whole backfill) would take far longer.
    assert.ok(Math.max(...latencies) < 2_000, `every read answered within 2 s during the backfill (slowest ${Math.round(Math.max(...latencies))} ms)`);
    const m = await get(`${threaded.api.url}/metrics`, threaded.token);
    assert.ok(gauge(m.body, 'imb_search_backfill_through_rowid') >= gauge(m.body, 'imb_search_backfill_target_rowid'), 'done: through reaches the target');
  });

  it('builds the same index as the single-thread backfill, searchable through the API', async () => {
    const single = await start('single', 0);
    await single.api.searchReady;
    const a = indexRows(threaded.db);
    assert.ok(a.length > 10_000, `most messages are indexed (${a.length})`);
    assert.deepEqual(a, indexRows(single.db));
    const oldest = a[0] as [number, string];
    const word = /\p{L}{4,}/u.exec(oldest[1])![0];
    const res = JSON.parse((await get(`${threaded.api.url}/v1/search?limit=100&q=${encodeURIComponent(word)}`, threaded.token)).body) as { results: unknown[] };
    assert.ok(res.results.length > 0, `the oldest row's word "${word}" is found`);
  });

  it('rebuilds an index from before migration 012 (with prefix indexes) without them, and short prefixes are still found', async () => {
    // The bridge database as a release before 012 left it: the backfill finished over a prefix-indexed table.
    const v11 = new Database(join(dir, 'v11.db'));
    migrate(v11, migrations.filter((m) => m.version <= 11));
    assert.match(v11.prepare("SELECT sql FROM sqlite_master WHERE name = 'search_fts'").pluck().get() as string, /prefix = '2 3'/);
    const ins = v11.prepare('INSERT INTO search_fts (rowid, text, chat_key, chat_guid, sender, date, guid) VALUES (?, ?, ?, ?, ?, ?, ?)');
    v11.transaction(() => { for (const r of indexRows(threaded.db)) ins.run(...(r as unknown[])); })();
    const state = v11.prepare('INSERT INTO api_state (key, value) VALUES (?, ?)');
    for (const r of threaded.db.prepare('SELECT key, value FROM api_state').raw().all() as [string, string][]) state.run(...r);
    v11.close();
    const upgraded = await start('v11', 2); // opening it migrates it
    await upgraded.api.searchReady;
    const sql = upgraded.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'search_fts'").pluck().get() as string;
    assert.doesNotMatch(sql, /prefix/, 'the upgraded table has no prefix indexes');
    assert.deepEqual(indexRows(upgraded.db), indexRows(threaded.db), 'the backfill rebuilt the whole index');
    const text = (indexRows(threaded.db)[5] as [number, string])[1];
    const word = /\p{L}{3,}/u.exec(text)![0];
    for (const prefix of [word.slice(0, 2), word.slice(0, 3)]) {
      const res = JSON.parse((await get(`${upgraded.api.url}/v1/search?limit=5&q=${encodeURIComponent(prefix + '*')}`, upgraded.token)).body) as { results: unknown[] };
      assert.ok(res.results.length > 0, `"${prefix}*" finds messages`);
    }
  });
});

describe('SearchIndex during a backfill', () => {
  const msg = (rowid: number, text: string): IMessage => ({ rowid, guid: `g${rowid}`, chatGuid: 'iMessage;-;+15550000001', sender: '+15550000001', date: 1_700_000_000_000 + rowid, text, kind: 'text', unsent: false } as IMessage);

  it('keeps a row the live feed indexed over the backfill\'s older copy, and drops rows no longer searchable', () => {
    const db = openBridgeDb(':memory:');
    const index = new SearchIndex(db);
    index.markBackfilled('id', 0);
    index.apply([msg(1, 'before unsend'), msg(2, 'stays')]);
    index.backfillStarted();
    index.apply([msg(3, 'edited live')]);
    // The backfill read rows 1–3 before the live edit; row 1 was unsent since.
    index.writeChunk('id', { after: 0, through: 3, rows: [[2, 'stays', 'k', 'iMessage;-;+15550000001', '+15550000001', 2, 'g2'], [3, 'original', 'k', 'iMessage;-;+15550000001', '+15550000001', 3, 'g3']], drops: [1] });
    index.backfillEnded();
    const rows = db.prepare('SELECT rowid, text FROM search_fts ORDER BY rowid').raw().all();
    assert.deepEqual(rows, [[2, 'stays'], [3, 'edited live']]);
    assert.equal(index.backfillThrough('id'), 3);
    assert.equal(index.count(), 2);
    db.close();
  });
});
