// The README's first command on a fresh clone: no web/dist, port 8787 taken,
// `npm run demo` exactly as typed. It must build the web client itself, pick
// a free port and print it, let a real browser sign in with the printed
// token, and remove its temporary folder on Ctrl-C. (`npm ci` is replaced by
// a link to this checkout's node_modules: same packages, no network.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './support/browser.ts';
import { exitOf, groupAlive, REPO, spawnDemo, type DemoChild } from './support/demoProcess.ts';
import { waitFor } from '../support/waitFor.ts';

let root: string;
let clone: string;
let tmp: string;
let blocker: Server | null = null;
let demo: DemoChild | null = null;
let browser: Browser | null = null;

/** The working tree as `git clone` would give it (tracked + new files, nothing ignored, so no web/dist). */
function cloneWorkingTree(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(REPO, f))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(to, f)), { recursive: true });
    copyFileSync(join(REPO, f), join(to, f));
  }
  symlinkSync(join(REPO, 'node_modules'), join(to, 'node_modules'), 'dir');
}

/** Holds 127.0.0.1:8787 unless something else already does: either way the default port is busy. */
function occupy8787(): Promise<Server | null> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(null));
    s.listen({ port: 8787, host: '127.0.0.1', exclusive: true }, () => resolve(s));
  });
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'imb-first-run-'));
  clone = join(root, 'clone');
  tmp = join(root, 'tmp');
  mkdirSync(tmp);
  cloneWorkingTree(clone);
  blocker = await occupy8787();
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await demo?.stop();
  await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
  rmSync(root, { recursive: true, force: true });
});

test('a fresh clone has no web client bundle', () => {
  assert.equal(existsSync(join(clone, 'web/dist')), false);
  assert.equal(existsSync(join(clone, 'web/src/main.tsx')), true);
});

test('`npm run demo` builds the client, moves off the busy port 8787, and a browser signs in with the printed token', async () => {
  // TMPDIR: the demo's temp folder lands where this test can check it is removed.
  demo = await spawnDemo({ command: ['npm', 'run', 'demo'], cwd: clone, env: { TMPDIR: tmp, npm_config_update_notifier: 'false' }, startTimeoutMs: 150_000 });
  const out = demo.output();
  assert.match(out, /^Building the web client \(first run/m);
  assert.match(out, /^Port 8787 is in use, so the demo uses a free port instead/m);
  const url = new URL(demo.url);
  assert.equal(url.hostname, '127.0.0.1');
  assert.notEqual(url.port, '8787');
  assert.ok(existsSync(join(clone, 'web/dist/index.html')), 'the demo built web/dist in the clone');
  assert.equal(readdirSync(tmp).filter((f) => f.startsWith('imessage-bridge-demo-')).length, 1, 'one demo temp folder while running');

  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(`${demo.url}/`);
  await page.locator('input[name=token]').fill(demo.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('button.chat', { hasText: 'Ada Lovelace' }).waitFor({ timeout: 30_000 });
  await page.close();
});

test('Ctrl-C stops the demo and removes its temporary folder', async () => {
  assert.ok(demo);
  const pgid = demo.child.pid!;
  process.kill(-pgid, 'SIGINT'); // what a terminal does on Ctrl-C: the whole foreground group
  const code = await exitOf(demo.child);
  assert.notEqual(code, 'timeout', demo.output().slice(-1500));
  await waitFor('nothing the demo started to be left running', () => !groupAlive(pgid), { timeoutMs: 10_000, intervalMs: 100 });
  assert.deepEqual(readdirSync(tmp).filter((f) => f.startsWith('imessage-bridge-demo-')), [], 'the temp folder is gone');
});
