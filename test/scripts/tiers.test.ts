// The test tiers: `npm run test:unit` picks pure files by what they do,
// `npm run test:stories` the public-surface stories, `npm test` everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const REPO = join(import.meta.dirname, '../..');
const TEST_SCRIPT = join(REPO, 'scripts/test.mjs');

function listed(cwd: string, ...args: string[]): string[] {
  const r = spawnSync(process.execPath, [TEST_SCRIPT, '--list', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

function project(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tiers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test('unit takes pure files only, judged by the file and the test helpers it imports', (t) => {
  const dir = project(t, {
    'test/a/pure.test.ts': "import { x } from './helper.ts';\n",
    'test/a/helper.ts': 'export const x = 1;\n',
    'test/a/viaHelper.test.ts': "import { y } from '../support/spawner.ts';\n",
    'test/support/spawner.ts': "import { spawn } from 'node:child_process';\nexport const y = spawn;\n",
    'test/a/server.test.ts': 'server.listen(0);\n',
    'test/a/optOut.test.ts': '// test-tier: slow\n',
    'test/a/wholeStory.test.ts': 'const pure = 1;\n',
    'test/a/tagged.test.ts': '// test-tier: story\n',
  });
  assert.deepEqual(listed(dir, '--tier', 'unit'), ['test/a/pure.test.ts']);
  assert.deepEqual(listed(dir, '--tier', 'stories'), ['test/a/tagged.test.ts', 'test/a/wholeStory.test.ts']);
  assert.equal(listed(dir).length, 6, 'no tier: every file');
});

test('the project: stories include the live ones, unit has no child processes, every file runs in npm test', () => {
  const all = listed(REPO);
  const unit = listed(REPO, '--tier', 'unit');
  const stories = listed(REPO, '--tier', 'stories');
  assert.ok(stories.includes('test/discord/liveStory.test.ts'));
  assert.ok(stories.includes('test/web/demo.test.ts'));
  assert.ok(unit.includes('test/typedstream/decode.test.ts'));
  assert.ok(!unit.includes('test/typedstream/fuzz.test.ts'), 'slow files stay out of the quick loop');
  for (const f of unit) assert.doesNotMatch(readFileSync(join(REPO, f), 'utf8'), /node:child_process/, f);
  assert.deepEqual(unit.filter((f) => stories.includes(f)), []);
  for (const f of [...unit, ...stories]) assert.ok(all.includes(f));
  const scripts = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  assert.equal(scripts.test, 'node scripts/test.mjs');
  assert.equal(scripts['test:unit'], 'node scripts/test.mjs --tier unit');
  assert.equal(scripts['test:stories'], 'node scripts/test.mjs --tier stories');
});

test('an unknown tier is refused with the ones that exist', () => {
  const r = spawnSync(process.execPath, [TEST_SCRIPT, '--tier', 'fast'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown tier "fast": use --tier unit or --tier stories/);
});
