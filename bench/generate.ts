// How fast the seeded generator builds a realistic chat.db.
// N=… overrides the message count (default 1,000,000); VERSION=… the schema.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../src/sim/generator.ts';
import { isMacosVersion } from '../src/sim/versions.ts';

const n = Number(process.env.N ?? 1_000_000);
const version = isMacosVersion(process.env.VERSION) ? process.env.VERSION : 'sequoia';
const dir = mkdtempSync(join(tmpdir(), 'imb-generate-'));
try {
  const res = generate({ dir, messages: n, chats: Math.max(1, Math.round(n / 2000)), seed: 'bench', version });
  const label = n === 1_000_000 ? 'generate_1m_seconds' : `generate_${n}_seconds`;
  console.log(`${label} ${res.seconds.toFixed(2)} s`);
  console.log(`generate_rows_per_s ${Math.round(n / res.seconds)} rows/s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
