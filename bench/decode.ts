// Decoding a whole simulated chat.db into the model: messages/s and peak RSS.
// Uses the seeded generator (src/sim/generator.ts) and caches its database in
// the OS temp dir, so a second run skips generation. N=… sets the size;
// DB=/path/chat.db measures an existing database instead; ROUNDS=… repeats
// the pass (the best round is reported: the machine is shared).
// The database is the generator's realistic one: typedstream attributedBody
// bodies (no plain text column on recent macOS), reactions, replies, edits,
// attachments, group events. Target (issue 15): >= 200k msg/s.
import { ChatDb } from '../src/imessage/db/index.ts';
import { bigDatabase } from './support/bigDb.ts';
import { printHeader, printLoadAfter, printRatio } from './support/report.ts';

const TARGET = 200_000;
printHeader('bench/decode.ts');

const N = Number(process.env.N ?? 1_000_000);
const ROUNDS = Math.max(1, Number(process.env.ROUNDS ?? 1));
const { path, home } = bigDatabase(N);
let peak = process.memoryUsage().rss;
let best = 0;
let bestCpu = 0;
let count = 0;
for (let round = 0; round < ROUNDS; round++) {
  const db = ChatDb.open(path, { home });
  const started = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let chars = 0;
  count = 0;
  for (const m of db.iterateMessages()) {
    count++;
    chars += m.text.length;
    if ((count & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  // Wall time swings with the shared machine's load; CPU time per message is the steadier A/B figure.
  bestCpu = Math.max(bestCpu, count / ((cpu.user + cpu.system) / 1e6));
  peak = Math.max(peak, process.memoryUsage().rss);
  db.close();
  if (count === 0 || chars === 0) throw new Error('decoded nothing');
  best = Math.max(best, count / seconds);
}
process.stdout.write(`decode_messages ${count} messages\n`);
process.stdout.write(`decode_messages_per_s ${Math.round(best)} msg/s\n`);
printRatio('decode_vs_target_200k', best / TARGET, 1);
process.stdout.write(`decode_messages_per_cpu_s ${Math.round(bestCpu)} msg/cpu-s\n`);
process.stdout.write(`decode_peak_rss_mb ${Math.round(peak / 1048576)} MB\n`);
printLoadAfter();
