// The gateway side by side with its floor (bench/support/apiFloor.ts: node:http +
// better-sqlite3, same reads, search SQL and token check), on the seeded
// generator's realistic chat.db (real attributedBody blobs; 1M messages,
// cached in the temp dir; N=… for another size). Each server runs in its own
// process; this one only drives load over keep-alive connections.
// Prints, interleaved and from one run: req/s at concurrency 1/10/50 and p99
// at 50, for message pages and search, each with the floor's figure and the
// ratio; the search backfill time; the gateway process's RSS.
// Targets (issue 15): ≥ 0.8× the floor's req/s, p99 ≤ 1.5× the floor's,
// backfill ≤ 15 s on 1M rows, RSS < 200 MB.
// SECONDS=… per measurement (default 4), ROUNDS=… (default 3; medians: one noisy interval does not decide).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openBridgeDb } from '../src/core/db/bridgeDb.ts';
import { TokenStore } from '../src/api/tokens.ts';
import { bigDatabase } from './support/bigDb.ts';

const N = Number(process.env.N ?? 1_000_000);
const SECONDS = Number(process.env.SECONDS ?? 4);
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 3));
const { path, home } = bigDatabase(N);
const work = mkdtempSync(join(tmpdir(), 'imb-bench-api-'));
const bridgePath = join(work, 'bridge.db');
const setup = openBridgeDb(bridgePath);
const token = new TokenStore(setup).create(['read'], 'bench').token;
setup.close();

interface Server { url: string; child: ChildProcess; info: Record<string, number> }
function startServer(script: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, path, home, bridgePath], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const line = buf.split('\n')[0];
      if (buf.includes('\n') && line) resolve({ child, url: (JSON.parse(line) as { url: string }).url, info: JSON.parse(line) as Record<string, number> });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
  });
}
const rssMb = (pid: number, key: 'VmRSS' | 'VmHWM'): number => {
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

/** CPU seconds (user + system) a process has used: steadier than wall time on a shared machine. */
const cpuSeconds = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
};

const pct = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN; };
const median = (xs: number[]): number => pct(xs, 0.5);

function get(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); }).on('error', reject).end();
  });
}

/** `concurrency` clients back to back for `ms`: req/s, p99 latency, non-200s. */
async function load(base: string, pathFor: (i: number) => string, concurrency: number, ms: number, pid?: number): Promise<{ rps: number; p99: number; bad: number; cpuMsPerReq: number }> {
  const cpu0 = pid ? cpuSeconds(pid) : 0;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const lat: number[] = [];
  let i = 0;
  let bad = 0;
  const start = performance.now();
  const end = start + ms;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      if (await get(base + pathFor(i++), agent) !== 200) bad++;
      lat.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  const cpuMsPerReq = pid ? ((cpuSeconds(pid) - cpu0) * 1000) / lat.length : NaN;
  return { rps: lat.length / seconds, p99: pct(lat, 0.99), bad, cpuMsPerReq };
}

const chatDb = new Database(path, { readonly: true });
// The busiest chats (a page of a near-empty chat is no test), newest page and pages further back.
const chats = chatDb.prepare('SELECT c.guid, max(j.message_id) AS newest FROM chat c JOIN chat_message_join j ON j.chat_id = c.ROWID GROUP BY c.ROWID ORDER BY count(*) DESC LIMIT 100').all() as { guid: string; newest: number }[];
chatDb.close();
const pagePath = (i: number): string => {
  const c = chats[(i * 7) % chats.length]!;
  return `/v1/chats/${encodeURIComponent(c.guid)}/messages?limit=50${i % 2 ? `&before=${Math.max(1, c.newest - ((i * 7919) % 5000))}` : ''}`;
};
const QUERIES = ['dinner', 'coffee tonight', '"happy birthday"', 'tick*', 'meet*', 'the', 'movie weekend', '"sounds good"', 'rain', 'kids'];
const searchPath = (i: number): string => `/v1/search?limit=20&q=${encodeURIComponent(QUERIES[i % QUERIES.length]!)}`;

const loadAtStart = (await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ');
const ours = await startServer('bench/support/apiServer.ts');
const ready = process.hrtime.bigint();
console.log(`api_search_backfill_s ${ours.info.backfill_s!.toFixed(1)} s (${ours.info.indexed} rows, read in ${ours.info.read_processes} processes; target ≤ 15 s on 1M: ${ours.info.backfill_s! <= 15 ? 'met' : 'NOT met'})`);
const floor = await startServer('bench/support/apiFloor.ts');
console.log(`api_rss_after_backfill_mb ${rssMb(ours.child.pid!, 'VmRSS')} MB (peak ${rssMb(ours.child.pid!, 'VmHWM')} MB; V8 heap ${ours.info.heap_mb}/${ours.info.heap_total_mb} MB used/reserved; the floor process: ${rssMb(floor.child.pid!, 'VmRSS')} MB)`);

const targets = [['page', pagePath], ['search', searchPath]] as const;
for (const [name, pathFor] of targets) {
  // Warm both (statement caches, page cache) before measuring.
  for (const s of [floor, ours]) await load(s.url, pathFor, 10, 1000);
  const p99At50: Record<string, number[]> = { ours: [], floor: [] };
  for (const c of [1, 10, 50]) {
    const rps: Record<string, number[]> = { ours: [], floor: [] };
    const cpu: Record<string, number[]> = { ours: [], floor: [] };
    for (let r = 0; r < ROUNDS; r++) {
      // Interleaved, alternating who goes first: the shared machine's load drifts.
      for (const [label, s] of (r % 2 ? [['ours', ours], ['floor', floor]] : [['floor', floor], ['ours', ours]]) as [string, Server][]) {
        const res = await load(s.url, pathFor, c, SECONDS * 1000, s.child.pid);
        cpu[label]!.push(res.cpuMsPerReq);
        if (res.bad > 0) throw new Error(`${label} answered ${res.bad} non-200s on ${name}`);
        rps[label]!.push(res.rps);
        if (c === 50) p99At50[label]!.push(res.p99);
      }
    }
    const o = median(rps.ours!);
    const f = median(rps.floor!);
    console.log(`api_${name}_rps_c${c} ${Math.round(o)} req/s (floor ${Math.round(f)}; ratio ${(o / f).toFixed(2)}×; target ≥ 0.8×: ${o / f >= 0.8 ? 'met' : 'NOT met'})`);
    // Server CPU per request: what throughput would be on an idle machine, without the load other processes add.
    const oc = median(cpu.ours!);
    const fc = median(cpu.floor!);
    console.log(`api_${name}_cpu_ms_per_req_c${c} ${oc.toFixed(2)} ms (floor ${fc.toFixed(2)}; throughput ratio by CPU ${(fc / oc).toFixed(2)}×)`);
  }
  const o = median(p99At50.ours!);
  const f = median(p99At50.floor!);
  console.log(`api_${name}_p99_c50_ms ${o.toFixed(1)} ms (floor ${f.toFixed(1)}; ratio ${(o / f).toFixed(2)}×; target ≤ 1.5×: ${o / f <= 1.5 ? 'met' : 'NOT met'})`);
}
const rss = rssMb(ours.child.pid!, 'VmRSS');
console.log(`api_rss_steady_mb ${rss} MB (floor ${rssMb(floor.child.pid!, 'VmRSS')} MB) after ${Math.round(Number(process.hrtime.bigint() - ready) / 1e9)} s of load (peak ${rssMb(ours.child.pid!, 'VmHWM')} MB; target < 200 MB: ${rss < 200 ? 'met' : 'NOT met'})`);
const os = await import('node:os');
console.log(`api_bench_machine ${process.platform} ${process.arch}, ${os.cpus().length} cores, node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (start ${loadAtStart})`);
for (const s of [ours, floor]) s.child.kill('SIGTERM');
rmSync(work, { recursive: true, force: true });
