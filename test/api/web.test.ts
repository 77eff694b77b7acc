import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { registerWebRoutes } from '../../src/api/routes/web.ts';

function dist(): string {
  const d = mkdtempSync(join(tmpdir(), 'imb-web-'));
  mkdirSync(join(d, 'assets'));
  writeFileSync(join(d, 'index.html'), '<!doctype html><script type="module" src="./assets/app-1.js"></script>');
  writeFileSync(join(d, 'assets', 'app-1.js'), 'console.log(1)');
  writeFileSync(join(d, 'secret.txt'), 'not an asset');
  return d;
}

test('the web client is served at / with a strict CSP, assets by exact name only', async (t) => {
  const app = Fastify();
  t.after(() => app.close());
  assert.equal(registerWebRoutes(app, dist()), true);
  const index = await app.inject({ method: 'GET', url: '/' });
  assert.equal(index.statusCode, 200);
  assert.match(index.headers['content-type'] as string, /text\/html/);
  assert.match(index.headers['content-security-policy'] as string, /script-src 'self'/);
  assert.doesNotMatch(index.headers['content-security-policy'] as string, /unsafe-inline/);
  assert.equal(index.headers['x-frame-options'], 'DENY');
  const js = await app.inject({ method: 'GET', url: '/assets/app-1.js' });
  assert.equal(js.statusCode, 200);
  assert.match(js.headers['content-type'] as string, /javascript/);
  for (const url of ['/assets/..%2fsecret.txt', '/assets/../secret.txt', '/assets/%2e%2e%2fsecret.txt', '/secret.txt', '/assets/missing.js']) {
    const r = await app.inject({ method: 'GET', url });
    assert.equal(r.statusCode, 404, url);
    assert.doesNotMatch(r.body, /not an asset/);
  }
});

test('without a build, nothing is registered', () => {
  const app = Fastify();
  assert.equal(registerWebRoutes(app, join(tmpdir(), 'imb-no-such-dist')), false);
});

test('the web routes stay out of openapi.json, so the document is the same with or without a build', async (t) => {
  const { registerOpenApi } = await import('../../src/api/openapi.ts');
  const app = Fastify();
  t.after(() => app.close());
  app.setValidatorCompiler(() => (d: unknown) => ({ value: d }));
  await registerOpenApi(app);
  assert.equal(registerWebRoutes(app, dist()), true);
  await app.ready();
  const paths = Object.keys((app.swagger() as { paths?: Record<string, unknown> }).paths ?? {});
  assert.deepEqual(paths.filter((p) => p === '/' || p.startsWith('/assets')), []);
  assert.equal((await app.inject({ method: 'GET', url: '/' })).statusCode, 200, 'still served');
});
