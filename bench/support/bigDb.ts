// The 1M-message simulated chat.db the benches share, generated once by the
// seeded generator and cached in the OS temp dir (DB=… uses another file).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../src/sim/generator.ts';

export function bigDatabase(n = Number(process.env.N ?? 1_000_000)): { path: string; home: string } {
  if (process.env.DB) return { path: process.env.DB, home: join(process.env.DB, '../../../') };
  const chats = Math.max(1, Math.min(500, Math.round(n / 2000)));
  const dir = join(tmpdir(), `imessage-bridge-bench-decode-${n}-${chats}`);
  const marker = join(dir, '.complete');
  if (!existsSync(marker)) {
    mkdirSync(dir, { recursive: true });
    const r = generate({ dir, messages: n, chats, seed: 42 });
    process.stderr.write(`generated ${n} messages in ${r.seconds.toFixed(1)} s at ${r.dbPath}\n`);
    writeFileSync(marker, r.dbPath);
  }
  return { path: readFileSync(marker, 'utf8'), home: join(dir, 'home') };
}
