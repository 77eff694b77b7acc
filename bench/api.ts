// Gateway benchmarks on a 1M-message chat.db (cached in the temp dir):
// message page latency, search latency, search index build, SSE fan-out.
// Until src/sim/generator.ts lands, the db is generated here from test.db's schema.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { apiSection } from '../src/config/sections/api.ts';
import { openBridgeDb } from '../src/core/db/bridgeDb.ts';
import { startApi } from '../src/api/index.ts';
import { openReader } from '../src/api/reader.ts';
import { TokenStore } from '../src/api/tokens.ts';
import { ChatDbFixture } from '../test/api/support/chatDbFixture.ts';
import { FakeGateway } from '../test/api/support/fakeGateway.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const CHATS = 500;
const WORDS = 'the a pizza tonight meeting coffee later okay thanks love running train dinner movie weekend call home work beach party birthday flight hotel photo music game office doctor school lunch morning evening'.split(' ');

function buildDb(dir: string): ChatDbFixture {
  const f = ChatDbFixture.create(dir);
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const chats = Array.from({ length: CHATS }, (_, i) => f.addChat([`+1555${String(i).padStart(7, '0')}`]));
  const insMsg = f.db.prepare("INSERT INTO message (guid, text, handle_id, service, date, is_from_me, is_finished) VALUES (?, ?, ?, 'iMessage', ?, ?, 1)");
  const insJoin = f.db.prepare('INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES (?, ?, ?)');
  const t0 = Date.UTC(2020, 0, 1) - 978_307_200_000;
  const tx = f.db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const chat = chats[Math.floor(rnd() ** 2 * CHATS)]!;
      const n = 3 + Math.floor(rnd() * 10);
      const text = Array.from({ length: n }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ') + ` #${i}`;
      const date = BigInt(t0 + i * 60_000) * 1_000_000n;
      const rowid = Number(insMsg.run(`BENCH-${i}`, text, 1, date, i % 3 === 0 ? 1 : 0).lastInsertRowid);
      insJoin.run(chat.rowid, rowid, date);
    }
  });
  for (let i = 0; i < MESSAGES; i += 50_000) tx(i, Math.min(MESSAGES, i + 50_000));
  return f;
}

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
const fmt = (n: number) => n.toFixed(2);

function get(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => { res.resume(); res.on('end', () => resolve(performance.now() - t)); }).on('error', reject).end();
  });
}

const cacheDir = join(tmpdir(), `imb-bench-api-${MESSAGES}`);
if (!existsSync(join(cacheDir, 'home/Library/Messages/chat.db'))) {
  rmSync(cacheDir, { recursive: true, force: true });
  const t = performance.now();
  buildDb(cacheDir).close();
  console.error(`# generated ${MESSAGES} messages in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const fixture = new ChatDbFixture(join(cacheDir, 'home/Library/Messages/chat.db'), join(cacheDir, 'home'));
const work = mkdtempSync(join(tmpdir(), 'imb-bench-api-run-'));
const db = openBridgeDb(join(work, 'bridge.db'));
const token = new TokenStore(db).create(['read'], 'bench').token;
const gateway = new FakeGateway();
const api = await startApi({ config: apiSection.parse({ port: 0 }), chatDbPath: fixture.path, home: fixture.home, db, gateway, log: pino({ level: 'warn' }), progress: true });
const built = await api.searchReady;
console.log(`api_search_index_build_s ${built.seconds.toFixed(1)} s`);

const chats = fixture.db.prepare('SELECT guid FROM chat ORDER BY ROWID').pluck().all() as string[];
const page: number[] = [];
for (let i = 0; i < 1000; i++) {
  const g = encodeURIComponent(chats[(i * 7) % chats.length]!);
  const before = i % 2 ? `&before=${Math.floor((i / 1000) * MESSAGES) + 548_217}` : '';
  page.push(await get(`${api.url}/v1/chats/${g}/messages?limit=50${before}`, token));
}
console.log(`api_messages_page_p50_ms ${fmt(pct(page, 0.5))} ms`);
console.log(`api_messages_page_p99_ms ${fmt(pct(page, 0.99))} ms`);

const queries = ['pizza', 'coffee tonight', '"birthday party"', 'hot*', 'meet*', 'the', 'flight hotel beach', '"thanks love"', 'doc*', 'weekend'];
const search: number[] = [];
for (let i = 0; i < 500; i++) {
  const q = queries[i % queries.length]!;
  const chat = i % 3 === 0 ? `&chat=${encodeURIComponent(chats[i % chats.length]!)}` : '';
  search.push(await get(`${api.url}/v1/search?q=${encodeURIComponent(q)}${chat}`, token));
}
console.log(`api_search_p50_ms ${fmt(pct(search, 0.5))} ms`);
console.log(`api_search_p99_ms ${fmt(pct(search, 0.99))} ms`);

// Fan-out: 100 SSE clients, one event, time until all have it.
const reader = openReader(fixture.path, fixture.home);
const clients: { got: Promise<number>; connected: Promise<void>; close: () => void }[] = [];
for (let i = 0; i < 100; i++) {
  let resolve!: (t: number) => void;
  let onConnect!: () => void;
  const got = new Promise<number>((r) => { resolve = r; });
  const connected = new Promise<void>((r) => { onConnect = r; });
  const req = request(`${api.url}/v1/events`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (c: string) => { onConnect(); if (c.includes('event: message')) resolve(performance.now()); });
  });
  req.on('error', () => undefined);
  req.end();
  clients.push({ got, connected, close: () => req.destroy() });
}
await Promise.all(clients.map((c) => c.connected));
await new Promise((r) => setTimeout(r, 200));
const m = reader.messagesAfter(reader.maxRowid() - 1, 1)[0]!;
gateway.handled = m.rowid; // as the core's cursor would be
const t0 = performance.now();
gateway.emit({ seq: 1, key: `msg:${m.guid}`, chatGuid: m.chatGuid!, event: { type: 'message', chat: reader.chat(m.chatGuid!)!, message: m, sentBy: null } });
const times = await Promise.all(clients.map((c) => c.got));
console.log(`api_sse_fanout_100_clients_ms ${fmt(Math.max(...times) - t0)} ms`);
for (const c of clients) c.close();
reader.close();
await api.stop();
db.close();
fixture.close();
rmSync(work, { recursive: true, force: true });
