// Detection latency: from the simulator's commit of a row to the event leaving
// the watcher, over N messages (default 1,000), with file events and with file
// events disabled (poll only, default 2 s); then CPU over IDLE_SECONDS (default
// 60) of idle watching. Prints `name value unit` lines.
//   N=1000 IDLE_SECONDS=60 POLL_MS=2000 node --import tsx bench/latency.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ChatDbWatcher, MemoryCursorStore } from '../src/imessage/watch/index.ts';
import { createLogger } from '../src/log.ts';
import { MessagesSimulator } from '../src/sim/simulator.ts';

const N = Number(process.env.N ?? 1000);
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 60);
const POLL_MS = Number(process.env.POLL_MS ?? 2000);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN; };

async function run(fileEvents: boolean, idleSeconds: number): Promise<{ p50: number; p99: number; cpu: number | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'imb-bench-latency-'));
  const sim = MessagesSimulator.create({ dir });
  const chats = Array.from({ length: 10 }, (_, i) => sim.addChat({ participants: [`+1555010${1000 + i}`] }));
  const committed = new Map<string, number>();
  const latencies: number[] = [];
  const watcher = new ChatDbWatcher({
    dbPath: sim.dbPath, home: sim.home, consumer: 'bench', cursors: new MemoryCursorStore(), log: createLogger('error'),
    pollIntervalMs: POLL_MS, debounceMs: 50, rescanWindowMs: 10 * 60_000, orphanRetryMs: 30_000, fileEvents,
    onBatch: (b) => {
      const now = performance.now();
      for (const item of b.items) {
        const t0 = item.type === 'new' ? committed.get(item.message.guid) : undefined;
        if (t0 !== undefined) latencies.push(now - t0);
      }
    },
  });
  await watcher.start();
  await sleep(300);
  // Arrivals spread so that they fall at every phase of the poll.
  const spacing = fileEvents ? 10 : Math.max(5, Math.round((POLL_MS * 5) / N));
  for (let i = 0; i < N; i++) {
    const m = sim.receive(chats[i % chats.length]!, { from: `+1555010${1000 + (i % chats.length)}`, text: `bench ${i}` });
    committed.set(m.guid, performance.now());
    await sleep(spacing * (0.5 + Math.random()));
  }
  const deadline = Date.now() + POLL_MS * 3 + 5000;
  while (latencies.length < N && Date.now() < deadline) await sleep(20);
  let cpu: number | null = null;
  if (idleSeconds > 0) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(idleSeconds * 1000);
    const c1 = process.cpuUsage(c0);
    cpu = ((c1.user + c1.system) / 1000 / (performance.now() - t0)) * 100;
  }
  await watcher.stop();
  sim.close({ pending: 'drop' });
  rmSync(dir, { recursive: true, force: true });
  if (latencies.length < N) process.stderr.write(`warning: only ${latencies.length}/${N} messages detected\n`);
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), cpu };
}

const fs = await run(true, IDLE_SECONDS);
console.log(`latency_fs_p50_ms ${fs.p50.toFixed(1)} ms`);
console.log(`latency_fs_p99_ms ${fs.p99.toFixed(1)} ms`);
const poll = await run(false, 0);
console.log(`latency_poll_p50_ms ${poll.p50.toFixed(1)} ms`);
console.log(`latency_poll_p99_ms ${poll.p99.toFixed(1)} ms`);
if (fs.cpu !== null) console.log(`idle_cpu_percent ${fs.cpu.toFixed(3)} %`);
