#!/usr/bin/env node
// Runs the test files under test/ with Node's own test runner (TypeScript via
// tsx). Node 20's --test does not expand globs itself, so we list files here.
// Usage: node scripts/test.mjs [--tier unit|stories] [--list] [substring-filter ...]
// Without --tier every file runs (that is `npm test`); tiers: scripts/tiers.mjs.
// --list prints the chosen files instead of running them.
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { tierOf } from './tiers.mjs';

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const list = args.includes('--list');
if (list) args.splice(args.indexOf('--list'), 1);
const t = args.indexOf('--tier');
const tier = t >= 0 ? args.splice(t, 2)[1] : undefined;
if (tier !== undefined && tier !== 'unit' && tier !== 'stories') {
  console.error(`unknown tier "${tier}": use --tier unit or --tier stories (no --tier runs everything)`);
  process.exit(2);
}
const filters = args;
const files = walk('test').sort()
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .filter((f) => tier === undefined || tierOf(f) === tier);
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
if (list) {
  console.log(files.join('\n'));
  process.exit(0);
}
// Unit tests are pure, so they can use every core, plus one: they also wait on
// debounce timers and disk, and one more file than cores keeps the CPUs busy
// (on 2 cores: 26 s instead of 29 s). The rest start servers and child
// processes and stay at 2 so a shared machine is not swamped.
const concurrency = process.env.TEST_CONCURRENCY ?? (tier === 'unit' ? String(Math.max(2, availableParallelism()) + 1) : '2');
const started = Date.now();
const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit' });
child.on('exit', (code, signal) => {
  if (tier) console.error(`${tier}: ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(code ?? (signal ? 1 : 0));
});
