#!/usr/bin/env node
// Runs every script in bench/ in turn; each prints `name value unit` lines.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const only = process.argv.slice(2);
const scripts = readdirSync('bench').filter((f) => f.endsWith('.ts') && !f.startsWith('_')).sort()
  .filter((f) => only.length === 0 || only.some((s) => f.includes(s)));
let failed = 0;
for (const f of scripts) {
  console.log(`# bench/${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
