#!/usr/bin/env node
// `npm run build` (and `prepare`): src/ → dist/ with tsc, then the files that
// are not TypeScript (schemas, demo media, the image worker, the fake
// osascript), then the stamp that tells bin/ this build is current. Starts
// from an empty dist/ so a removed source leaves nothing behind.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { ROOT, sourceFiles, sourceStamp, stampPath } from '../bin/compiled.js';

const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // An install without dev dependencies: no compiler, and the bin runs the sources through tsx.
  console.log('imessage-bridge: typescript is not installed, so there is no compiled build; the CLI runs the sources through tsx');
  process.exit(0);
}
const stamp = sourceStamp();
rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
for (const p of sourceFiles()) {
  if (p.endsWith('.ts')) continue;
  const to = join(DIST, relative(SRC, p));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(p, to);
  chmodSync(to, statSync(p).mode);
}
// The sources' stamp from before tsc ran: an edit made during the build makes it stale, never current.
writeFileSync(stampPath(), `${stamp}\n`);
