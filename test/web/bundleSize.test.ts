// test-tier: slow
// The web client stays small and self-contained: its JS + CSS within a
// gzipped budget, and nothing loaded from another origin (no CDN).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebClient, WEB_DIST } from '../../src/demo/webBuild.ts';

const BUDGET_GZ = 25 * 1024;

test(`the client's JS and CSS stay within ${BUDGET_GZ / 1024} kB gzipped`, async () => {
  await ensureWebClient();
  const dir = join(WEB_DIST, 'assets');
  const files = readdirSync(dir).filter((f) => /\.(js|css)$/.test(f));
  assert.ok(files.some((f) => f.endsWith('.js')) && files.some((f) => f.endsWith('.css')));
  const sizes = files.map((f) => [f, gzipSync(readFileSync(join(dir, f)), { level: 9 }).length] as const);
  const total = sizes.reduce((a, [, n]) => a + n, 0);
  assert.ok(total <= BUDGET_GZ, `web/dist is ${total} bytes gzipped (${sizes.map(([f, n]) => `${f}: ${n}`).join(', ')}), over the ${BUDGET_GZ} budget`);
});

test('index.html and the bundle load nothing from another origin', () => {
  const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) assert.ok(!/^(https?:)?\/\//.test(url!), `index.html loads ${url}`);
  const dir = join(WEB_DIST, 'assets');
  for (const f of readdirSync(dir).filter((n) => /\.(js|css)$/.test(n))) {
    const text = readFileSync(join(dir, f), 'utf8');
    assert.doesNotMatch(text, /@import\s+url\(\s*["']?https?:|import\(\s*["']https?:/, `${f} imports from another origin`);
  }
});
