// Decoding a whole simulated chat.db into the model: messages/s and peak RSS.
// Uses the seeded generator (src/sim/generator.ts) and caches its database in
// the OS temp dir, so a second run skips generation. N=… sets the size.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ChatDb } from '../src/imessage/db/index.ts';

const N = Number(process.env.N ?? 1_000_000);
const CHATS = Math.max(1, Math.min(500, Math.round(N / 2000)));
const dir = join(tmpdir(), `imessage-bridge-bench-${N}-${CHATS}`);

interface Generator { generate(o: { dir: string; messages: number; chats: number; seed: number }): Promise<{ path: string } | string> | { path: string } | string }

async function database(): Promise<string> {
  const cached = join(dir, 'chat.db');
  if (existsSync(join(dir, '.complete'))) return cached;
  mkdirSync(dir, { recursive: true });
  const gen = await import(pathToFileURL(join(import.meta.dirname, '../src/sim/generator.ts')).href) as Generator;
  const started = Date.now();
  const r = await gen.generate({ dir, messages: N, chats: CHATS, seed: 42 });
  const path = typeof r === 'string' ? r : r.path;
  process.stderr.write(`generated ${N} messages in ${((Date.now() - started) / 1000).toFixed(1)} s at ${path}\n`);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(dir, '.complete'), path);
  return path;
}

const path = await database();
let peak = process.memoryUsage().rss;
const db = ChatDb.open(path, { home: join(dir, 'home') });
const started = process.hrtime.bigint();
let count = 0;
let chars = 0;
for (const m of db.iterateMessages()) {
  count++;
  chars += m.text.length;
  if ((count & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
peak = Math.max(peak, process.memoryUsage().rss);
db.close();
if (count === 0 || chars === 0) throw new Error('decoded nothing');
process.stdout.write(`decode_messages ${count} messages\n`);
process.stdout.write(`decode_messages_per_s ${Math.round(count / seconds)} msg/s\n`);
process.stdout.write(`decode_peak_rss_mb ${Math.round(peak / 1048576)} MB\n`);
