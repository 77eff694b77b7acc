// Test tiers, so a developer's loop is quick while `npm test` still runs
// everything.
// - unit: pure and fast. Decided from the file itself (and the helpers it
//   imports from test/): no child process, server, socket, browser,
//   homeserver or local Discord. A new pure test joins the tier by itself;
//   a file can opt out with a `// test-tier: slow` line.
// - stories: whole capabilities driven through the public surface only (CLI,
//   config file, HTTP, Discord or Matrix as their users see them). A file
//   joins by its name (`…Story.test.ts`, `….story.test.ts`) or a
//   `// test-tier: story` line; the older ones are listed below.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/** Imports or calls that make a test more than a pure unit test. */
const NOT_PURE = /node:child_process|playwright|support\/synapse|support\/discord|startApi|\.listen\(|fakeOsascript|new Worker\(/;

/** Pure, but not fast or not deterministic enough for the quick loop. */
const SLOW = [
  'test/watch/', // real file events and polling on disk
  'test/sim/generator.test.ts', // builds databases of 100k rows
  'test/typedstream/fuzz.test.ts', // a million mutated blobs
];

/** Stories that predate the naming rule. */
const STORIES = [
  'test/web/demo.test.ts',
  'test/web/webClient.test.ts',
  'test/matrix/liveBot.test.ts',
  'test/matrix/liveAppservice.test.ts',
  'test/matrix/registrationCli.test.ts',
  'test/core/cli.test.ts',
  'test/core/daemon.test.ts',
  'test/imessage/cli.test.ts',
  'test/api/tokenCli.test.ts',
  'test/send/simulator.test.ts',
];

const marker = (src) => /^\/\/ test-tier: (\w+)/m.exec(src)?.[1];

/** Whether a file, or a helper it imports from test/, does something impure. */
function impure(file, testDir, seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  if (NOT_PURE.test(src)) return true;
  for (const [, spec] of src.matchAll(/from '(\.[^']+)'/g)) {
    const dep = resolve(dirname(file), spec);
    if (relative(testDir, dep).startsWith('..') || !existsSync(dep)) continue;
    if (impure(dep, testDir, seen)) return true;
  }
  return false;
}

/** 'unit', 'stories' or 'integration' (only in the full run) of a test file, relative to the project root (the cwd). */
export function tierOf(file) {
  const rel = relative('.', file).split('\\').join('/');
  const src = readFileSync(file, 'utf8');
  const tag = marker(src);
  if (tag === 'story' || /[Ss]tory\.test\.ts$|\.story\.test\.ts$/.test(rel) || STORIES.includes(rel)) return 'stories';
  if (tag === 'slow' || SLOW.some((s) => rel.startsWith(s)) || impure(resolve(file), resolve('test'))) return 'integration';
  return 'unit';
}
