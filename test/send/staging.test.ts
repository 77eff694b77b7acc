import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AttachmentStager, isInside, safeFileName, stagingRoot } from '../../src/imessage/send/staging.ts';
import { SendError } from '../../src/imessage/send/index.ts';
import { waitFor } from '../support/waitFor.ts';

function setup(t: { after(fn: () => void): void }, cleanupAfterMs = 60_000) {
  const base = mkdtempSync(join(tmpdir(), 'stage-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const home = join(base, 'home');
  const allowed = join(base, 'allowed');
  const outside = join(base, 'outside');
  mkdirSync(home, { recursive: true });
  mkdirSync(allowed);
  mkdirSync(outside);
  const stager = new AttachmentStager({ home, allowedDirs: [allowed], maxBytes: 1024, cleanupAfterMs });
  t.after(() => stager.dispose());
  return { base, home, allowed, outside, stager };
}

async function refused(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof SendError && e.code === 'file_refused' && re.test(e.message) && e.advice.length > 10);
}

test('an allowed file is copied (not linked) into ~/Library/Messages/Attachments/imessage-bridge/<uuid>/<name>', async (t) => {
  const { home, allowed, stager } = setup(t);
  const src = join(allowed, 'photo one.jpg');
  writeFileSync(src, 'JPEGDATA');
  const staged = await stager.stage(src);
  assert.equal(dirname(dirname(staged)), stagingRoot(home));
  assert.equal(stagingRoot(home), join(home, 'Library', 'Messages', 'Attachments', 'imessage-bridge'));
  assert.match(staged, /\/[0-9a-f-]{36}\/photo one\.jpg$/);
  assert.equal(readFileSync(staged, 'utf8'), 'JPEGDATA');
  writeFileSync(src, 'CHANGED');
  assert.equal(readFileSync(staged, 'utf8'), 'JPEGDATA', 'a copy, not a link');
});

test('files outside the allowed folders are refused, including ../ traversal and symlinks pointing out', async (t) => {
  const { allowed, outside, stager, home } = setup(t);
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  await refused(stager.stage(join(outside, 'secret.txt')), /outside the allowed folders/);
  await refused(stager.stage(`${allowed}/../outside/secret.txt`), /outside the allowed folders/);
  symlinkSync(join(outside, 'secret.txt'), join(allowed, 'link.txt'));
  await refused(stager.stage(join(allowed, 'link.txt')), /resolves to .*secret\.txt/);
  symlinkSync(outside, join(allowed, 'dirlink'));
  await refused(stager.stage(join(allowed, 'dirlink', 'secret.txt')), /outside the allowed folders/);
  await refused(stager.stage('/etc/passwd'), /outside the allowed folders/);
  // Nothing was staged for any of them.
  assert.equal(existsSync(stagingRoot(home)), false);
});

test('a symlink inside the allowed folder pointing to another allowed file is fine', async (t) => {
  const { allowed, stager } = setup(t);
  writeFileSync(join(allowed, 'real.txt'), 'ok');
  symlinkSync(join(allowed, 'real.txt'), join(allowed, 'alias.txt'));
  const staged = await stager.stage(join(allowed, 'alias.txt'));
  assert.match(staged, /alias\.txt$/);
  assert.equal(readFileSync(staged, 'utf8'), 'ok');
});

test('relative, missing, NUL-containing, directory and too-large paths are refused with clear errors', async (t) => {
  const { allowed, stager } = setup(t);
  await refused(stager.stage('relative/file.txt'), /must be absolute/);
  await refused(stager.stage('~/file.txt'), /must be absolute/);
  await refused(stager.stage(join(allowed, 'nope.txt')), /no such file/);
  await refused(stager.stage(`${allowed}/a\0b`), /NUL/);
  await refused(stager.stage(''), /empty/);
  mkdirSync(join(allowed, 'sub'));
  await refused(stager.stage(join(allowed, 'sub')), /not a regular file/);
  writeFileSync(join(allowed, 'big.bin'), Buffer.alloc(1025));
  await refused(stager.stage(join(allowed, 'big.bin')), /larger than 1024 bytes/);
  writeFileSync(join(allowed, 'exact.bin'), Buffer.alloc(1024));
  assert.ok(await stager.stage(join(allowed, 'exact.bin')));
});

test('a missing allowed folder allows nothing', async (t) => {
  const { base, home } = setup(t);
  const stager = new AttachmentStager({ home, allowedDirs: [join(base, 'gone')], maxBytes: 10, cleanupAfterMs: 1000 });
  writeFileSync(join(base, 'f.txt'), 'x');
  await refused(stager.stage(join(base, 'f.txt')), /outside the allowed folders/);
});

test('staged copies are removed after the cleanup delay, and discard removes at once', async (t) => {
  const { allowed, stager } = setup(t, 150);
  writeFileSync(join(allowed, 'a.txt'), 'a');
  const staged = await stager.stage(join(allowed, 'a.txt'));
  stager.scheduleRemoval(staged);
  assert.ok(existsSync(staged));
  await waitFor('the staged copy to be removed after the cleanup delay', () => !existsSync(dirname(staged)), 10_000);

  const other = await stager.stage(join(allowed, 'a.txt'));
  await stager.discard(other);
  assert.equal(existsSync(dirname(other)), false);
});

test('the startup sweep removes old leftover copies and keeps recent ones and foreign folders', async (t) => {
  const { home, stager } = setup(t, 60_000);
  const root = stagingRoot(home);
  const old = join(root, '11111111-2222-4333-8444-555555555555');
  const fresh = join(root, '66666666-7777-4888-8999-000000000000');
  const foreign = join(root, 'not-a-uuid');
  for (const d of [old, fresh, foreign]) { mkdirSync(d, { recursive: true }); writeFileSync(join(d, 'f'), 'x'); }
  const past = new Date(Date.now() - 120_000);
  utimesSync(old, past, past);
  utimesSync(foreign, past, past);
  assert.equal(await stager.sweep(), 1);
  assert.equal(existsSync(old), false);
  assert.ok(existsSync(fresh));
  assert.ok(existsSync(foreign));
});

test('path helpers: containment and safe names', () => {
  assert.ok(isInside('/a/b', '/a/b/c'));
  assert.ok(isInside('/a/b', '/a/b'));
  assert.ok(!isInside('/a/b', '/a/bc'));
  assert.ok(!isInside('/a/b', '/a'));
  assert.ok(!isInside('/a/b', '/a/b/../c'));
  assert.equal(safeFileName('/x/y/report.pdf'), 'report.pdf');
  assert.equal(safeFileName('/x/a\nb:c.txt'), 'a_b_c.txt');
  assert.equal(safeFileName('/'), 'file');
});
