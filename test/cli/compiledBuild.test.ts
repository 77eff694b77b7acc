// test-tier: unit
// The bin runs the compiled build only when it was built from exactly the
// sources beside it (bin/compiled.js); any edit, new or removed file sends it
// back to the sources through tsx, so a stale build never runs. And from the
// real checkout, the build runs exactly when it is current, with the same output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error -- plain JS beside the bin, no declarations
import { currentBuild, sourceStamp, stampPath } from '../../bin/compiled.js';
import { FixtureDb, tempDir } from '../imessage/fixture.ts';
import { writeScenario } from '../imessage/scenario.ts';

type Current = (root: string) => string | null;
const current = currentBuild as Current;

test('a build is current only for the sources it was built from', (t) => {
  const root = tempDir(t);
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
  writeFileSync(join(root, 'src', 'cli', 'main.ts'), 'export {};\n');
  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
  const entry = join(root, 'dist', 'cli', 'main.js');
  assert.equal(current(root), null, 'no stamp: never built');

  const stamp = (): void => writeFileSync(stampPath(root), `${(sourceStamp as (r: string) => string)(root)}\n`);
  stamp();
  assert.equal(current(root), entry);

  writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 2;\n');
  utimesSync(join(root, 'src', 'a.ts'), new Date(2020, 0, 1), new Date(2020, 0, 1));
  assert.equal(current(root), null, 'an edited file (even one dated earlier)');
  stamp();
  writeFileSync(join(root, 'src', 'b.ts'), 'export {};\n');
  assert.equal(current(root), null, 'a new file');
  stamp();
  rmSync(join(root, 'src', 'b.ts'));
  assert.equal(current(root), null, 'a removed file');
  stamp();
  assert.equal(current(root), entry);

  process.env.IMESSAGE_BRIDGE_SOURCES = '1';
  t.after(() => { delete process.env.IMESSAGE_BRIDGE_SOURCES; });
  assert.equal(current(root), null, 'IMESSAGE_BRIDGE_SOURCES=1 asks for the sources');
});

test('the bin loads the compiled entry exactly when the build is current, and prints the same bytes as the sources', (t) => {
  const fx = new FixtureDb(join(tempDir(t), 'chat.db'), 'sequoia');
  writeScenario(fx);
  fx.close();
  const root = join(import.meta.dirname, '../..');
  const bin = join(root, 'bin/imessage-bridge.js');
  const trace = join(import.meta.dirname, '../messages/support/traceImports.mjs');
  const run = (sources: boolean) => {
    const file = join(tempDir(t), 'imports.txt');
    const r = spawnSync(process.execPath, ['--import', trace, bin, 'messages', '--db', fx.path, '--json'], {
      encoding: 'utf8', timeout: 60_000,
      env: { ...process.env, LOG_LEVEL: 'warn', TRACE_IMPORTS_FILE: file, IMESSAGE_BRIDGE_SOURCES: sources ? '1' : '0' },
    });
    assert.equal(r.status, 0, r.stderr);
    const urls = readFileSync(file, 'utf8').split('\n');
    return { stdout: r.stdout, compiled: urls.some((u) => u.endsWith('/dist/cli/main.js')), sources: urls.some((u) => u.endsWith('/src/cli/main.ts')) };
  };
  const fromSources = run(true);
  assert.deepEqual([fromSources.compiled, fromSources.sources], [false, true], 'IMESSAGE_BRIDGE_SOURCES=1 runs src/');
  assert.ok(fromSources.stdout.split('\n').length > 3);
  // After `npm ci` (CI) the build is current and must be the one that runs; in an edited checkout the sources run.
  const current = (currentBuild as Current)(root) !== null;
  const r = run(false);
  assert.deepEqual([r.compiled, r.sources], [current, !current], current ? 'a current build runs dist/' : 'a stale build never runs');
  assert.equal(r.stdout, fromSources.stdout);
});
