// Relay latency to Matrix, the whole way: from the chat.db commit (the
// simulator's receive returns after its transaction) through the live core's
// watcher and delivery queue and the Matrix connector, to the event arriving
// in an Element-like user's /sync, against a real Synapse. Messages go one at
// a time, so this is latency, not throughput. The watcher uses the default
// timings (file events, 50 ms debounce, 2 s fallback poll).
// Env: BENCH_MATRIX_N (default 500), BENCH_MATRIX_MODE (bot | appservice, default bot).
import { startWorld, ALICE, type Mode } from '../test/matrix/liveWorld.ts';
import { shown } from '../test/matrix/liveStories.ts';

const N = Number(process.env.BENCH_MATRIX_N ?? 500);
const MODE = (process.env.BENCH_MATRIX_MODE ?? 'bot') as Mode;
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

const w = await startWorld(MODE, { imessage: { poll_interval_ms: 2000, debounce_ms: 50 } });
try {
  const chat = w.sim.addChat({ participants: [ALICE.handle] });
  // Warm-up: the portal is created and joined before timing starts.
  w.sim.receive(chat, { from: ALICE.handle, text: 'warm-up' });
  if (MODE === 'bot') await w.owner.join(await w.owner.waitForInvite((_r, st) => st.some((e) => e.type === 'm.room.name' && e.content.name === ALICE.name), 'portal invite', 60_000));
  await w.owner.waitFor((e) => e.content.body === shown(w, ALICE.name, 'warm-up'), 'warm-up message', 60_000);

  const lat: number[] = [];
  const started = Date.now();
  for (let i = 1; i <= N; i++) {
    const body = shown(w, ALICE.name, `bench ${i}`);
    w.sim.receive(chat, { from: ALICE.handle, text: `bench ${i}` });
    const committed = Date.now();
    const ev = await w.owner.waitFor((e) => e.content.body === body, `bench ${i}`, 60_000);
    lat.push((w.owner.seenAt.get(ev.event_id) ?? Date.now()) - committed);
  }
  const wall = (Date.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  console.log(`matrix_relay_messages ${N} count`);
  console.log(`matrix_relay_p50_ms ${pct(lat, 50)} ms`);
  console.log(`matrix_relay_p99_ms ${pct(lat, 99)} ms`);
  console.log(`matrix_relay_max_ms ${lat.at(-1)} ms`);
  console.log(`matrix_relay_wall_s ${wall.toFixed(1)} s`);
} finally {
  await w.close();
}
