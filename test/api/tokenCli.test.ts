import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openBridgeDb } from '../../src/core/db/bridgeDb.ts';
import { TokenStore } from '../../src/api/tokens.ts';

const ENTRY = new URL('./support/tokenCliEntry.ts', import.meta.url).pathname;

describe('token CLI and store', () => {
  let dir: string;
  let cfg: string;
  let dbPath: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'imb-token-'));
    dbPath = join(dir, 'bridge.db');
    cfg = join(dir, 'config.yaml');
    writeFileSync(cfg, `bridge:\n  database: ${dbPath}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', ENTRY, 'token', ...args, '--config', cfg], { encoding: 'utf8', timeout: 30_000 });

  it('prints a new token once and stores only its SHA-256 hash', () => {
    const r = run('new', '--scope', 'read,send', '--name', 'phone');
    assert.equal(r.status, 0, r.stderr);
    const token = r.stdout.trim();
    assert.match(token, /^imb_[A-Za-z0-9_-]{43,}$/, 'prefix + ≥32 random bytes, base64url');
    const db = new Database(dbPath, { readonly: true });
    const row = db.prepare('SELECT * FROM api_token WHERE name = ?').get('phone') as { hash: string; scopes: string };
    db.close();
    assert.equal(row.hash, createHash('sha256').update(token).digest('hex'));
    assert.equal(row.scopes, 'read,send');
    assert.ok(!readFileSync(dbPath).includes(Buffer.from(token)), 'the token itself is nowhere in the database');
    const list = run('list');
    assert.match(list.stdout, /phone\s+read,send/);
    assert.ok(!list.stdout.includes(token));
  });

  it('rejects bad scopes and duplicate names with advice; revokes by name', () => {
    const bad = run('new', '--scope', 'admin');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /Unknown scope admin/);
    const dup = run('new', '--scope', 'read', '--name', 'phone');
    assert.notEqual(dup.status, 0);
    assert.match(dup.stderr, /already exists/);
    assert.equal(run('revoke', 'phone').status, 0);
    assert.match(run('list').stdout, /REVOKED/);
    assert.notEqual(run('revoke', 'phone').status, 0);
  });

  it('verifies in constant time by digest and forgets revoked tokens', () => {
    const db = openBridgeDb(join(dir, 'store.db'));
    const store = new TokenStore(db);
    const { token } = store.create(['read'], 'a');
    assert.equal(store.verify(token)?.name, 'a');
    assert.equal(store.verify(token.slice(0, -1)), null);
    assert.equal(store.verify(''), null);
    store.revoke('a');
    assert.equal(store.verify(token), null);
    db.close();
  });

  it('records token use without a write per request (coalesced), and flushes it', () => {
    const db = openBridgeDb(join(dir, 'coalesce.db'));
    const store = new TokenStore(db, 60_000);
    const { token, info } = store.create(['read'], 'busy');
    const changes = () => db.prepare('SELECT total_changes()').pluck().get() as number;
    const before = changes();
    for (let i = 0; i < 200; i++) assert.ok(store.verify(token));
    assert.equal(changes() - before, 0, 'no write per verify');
    const lastUsed = db.prepare('SELECT last_used_at FROM api_token WHERE id = ?').pluck();
    assert.equal(lastUsed.get(info.id), null);
    store.flush();
    assert.equal(changes() - before, 1, 'one write for 200 uses');
    assert.ok((lastUsed.get(info.id) as number) >= info.createdAt);
    assert.ok(store.list()[0]!.lastUsedAt, 'list shows the use');
    db.close();
  });
});
