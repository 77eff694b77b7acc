// Every way opening chat.db can fail ends in a typed ChatDbError with one sentence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatDb, ChatDbError, fullDiskAccessSubject } from '../../src/imessage/db/index.ts';
import { toChatDbError } from '../../src/imessage/db/errors.ts';
import { FixtureDb, SHARED, tempDir } from './fixture.ts';

function openError(path: string, opts = {}): ChatDbError {
  try {
    ChatDb.open(path, opts).close();
  } catch (e) {
    assert.ok(e instanceof ChatDbError, `expected ChatDbError, got ${String(e)}`);
    assert.equal(e.message.split(/(?<=\.) /).length, 1, `one sentence: ${e.message}`);
    assert.ok(e.advice.length > 10);
    assert.ok(e.exitCode > 0);
    return e;
  }
  assert.fail('open should have failed');
}

test('a missing file', (t) => {
  const e = openError(join(tempDir(t), 'nope', 'chat.db'));
  assert.equal(e.kind, 'missing');
  assert.match(e.message, /No chat database at .*nope\/chat\.db/);
});

test('a text file, an empty file and a SQLite database without a message table are not chat.db', (t) => {
  const dir = tempDir(t);
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'hello, this is text and long enough to have a header\n');
  assert.equal(openError(text).kind, 'not_chatdb');
  const empty = join(dir, 'empty.db');
  writeFileSync(empty, '');
  assert.equal(openError(empty).kind, 'not_chatdb');
  const other = join(dir, 'other.db');
  const db = new Database(other);
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  db.close();
  const e = openError(other);
  assert.equal(e.kind, 'not_chatdb');
  assert.match(e.message, /no message table/);
});

test('a corrupt file', (t) => {
  const dir = tempDir(t);
  const fx = new FixtureDb(join(dir, 'chat.db'), 'sonoma');
  for (let i = 0; i < 50; i++) fx.message({ guid: `G-${i}`, text: 'x'.repeat(200) });
  fx.db.pragma('wal_checkpoint(TRUNCATE)');
  fx.db.pragma('journal_mode = DELETE');
  fx.close();
  const fd = openSync(fx.path, 'r+');
  // Keep the 100-byte header, destroy the schema page and what follows.
  writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, 100);
  closeSync(fd);
  const e = openError(fx.path);
  assert.equal(e.kind, 'corrupt');
  assert.match(e.message, /damaged|could not be read/);
});

test('a database locked past the busy timeout', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'chat.db');
  copyFileSync(join(SHARED, 'chatdb/test.db'), path);
  const writer = new Database(path);
  t.after(() => writer.close());
  writer.pragma('journal_mode = DELETE');
  writer.exec('BEGIN EXCLUSIVE');
  writer.prepare("UPDATE message SET text = 'x' WHERE ROWID = 123445").run();
  const started = Date.now();
  const e = openError(path, { busyTimeoutMs: 200 });
  assert.equal(e.kind, 'locked');
  assert.ok(Date.now() - started >= 150, 'waited for the busy timeout');
  writer.exec('ROLLBACK');
  // Once released, the same file opens.
  ChatDb.open(path).close();
});

test('no permission: names the binary that needs Full Disk Access and where to grant it', (t) => {
  for (const err of [
    Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' }),
    Object.assign(new Error('EPERM: operation not permitted, open'), { code: 'EPERM' }),
    Object.assign(new Error('authorization denied'), { code: 'SQLITE_AUTH' }),
    Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' }),
  ]) {
    const e = toChatDbError('/Users/x/Library/Messages/chat.db', err, 'darwin');
    assert.equal(e.kind, 'permission');
    assert.match(e.message, /Full Disk Access/);
    assert.match(e.advice, /System Settings › Privacy & Security › Full Disk Access/);
    // Elsewhere it is plain file modes: no macOS advice.
    const linux = toChatDbError('/home/x/chat.db', err, 'linux');
    assert.equal(linux.kind, 'permission');
    assert.match(linux.message, /permission denied for/);
    assert.doesNotMatch(`${linux.message} ${linux.advice}`, /Full Disk Access|macOS/);
  }
  assert.equal(fullDiskAccessSubject({}, '/opt/homebrew/bin/node'), '/opt/homebrew/bin/node');
  assert.match(fullDiskAccessSubject({ TERM_PROGRAM: 'Apple_Terminal' }, '/x/node'), /^Terminal /);
  assert.match(fullDiskAccessSubject({ TERM_PROGRAM: 'iTerm.app' }, '/x/node'), /^iTerm /);
  assert.match(fullDiskAccessSubject({ __CFBundleIdentifier: 'com.example.App' }, '/x/node'), /com\.example\.App/);
  const saved = process.env.TERM_PROGRAM;
  delete process.env.TERM_PROGRAM;
  const savedBundle = process.env.__CFBundleIdentifier;
  delete process.env.__CFBundleIdentifier;
  t.after(() => {
    if (saved !== undefined) process.env.TERM_PROGRAM = saved;
    if (savedBundle !== undefined) process.env.__CFBundleIdentifier = savedBundle;
  });
  assert.ok(toChatDbError('/p', Object.assign(new Error('x'), { code: 'EPERM' }), 'darwin').message.includes(process.execPath));
  // A real unreadable file, where the OS enforces it (root bypasses file modes).
  if (process.getuid?.() !== 0) {
    const path = join(tempDir(t), 'chat.db');
    copyFileSync(join(SHARED, 'chatdb/test.db'), path);
    chmodSync(path, 0);
    assert.equal(openError(path).kind, 'permission');
  }
});

/** Open as an unprivileged user: as root, file modes don't apply, so run the probe as `nobody`. */
function openAsUser(path: string): { ok: boolean; kind?: string; message?: string; advice?: string } {
  const probe = [process.execPath, '--import', 'tsx', join(import.meta.dirname, 'openProbe.ts'), path];
  const asRoot = process.getuid?.() === 0;
  const r = asRoot ? spawnSync('runuser', ['-u', 'nobody', '--', ...probe], { encoding: 'utf8', cwd: join(import.meta.dirname, '../..') })
    : spawnSync(probe[0]!, probe.slice(1), { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { ok: boolean; kind?: string; message?: string; advice?: string };
}

/** A folder any user can enter, holding a WAL-mode chat.db whose -shm does not exist. */
function walFixture(t: { after: (fn: () => void) => void }, withWal: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'chatdb-ro-'));
  chmodSync(dir, 0o755);
  const folder = join(dir, 'Messages');
  t.after(() => { chmodSync(folder, 0o755); rmSync(dir, { recursive: true, force: true }); });
  mkdirSync(folder);
  const fx = new FixtureDb(join(folder, 'chat.db'), 'sonoma');
  fx.message({ guid: 'G-1', text: 'hello' });
  if (withWal) {
    // Copy the pair while the writer is open, as a backup tool would: chat.db plus its -wal, no -shm.
    const copy = join(dir, 'copy');
    mkdirSync(copy);
    copyFileSync(fx.path, join(copy, 'chat.db'));
    copyFileSync(`${fx.path}-wal`, join(copy, 'chat.db-wal'));
    fx.close();
    rmSync(folder, { recursive: true });
    renameSync(copy, folder);
  } else {
    fx.close();
  }
  for (const f of readdirSync(folder)) chmodSync(join(folder, f), 0o644);
  chmodSync(folder, 0o555);
  return join(folder, 'chat.db');
}

test('a WAL database in a read-only folder says so, not "corrupt" or Full Disk Access', (t) => {
  for (const withWal of [false, true]) {
    const r = openAsUser(walFixture(t, withWal));
    assert.equal(r.ok, false, `withWal=${withWal}`);
    assert.equal(r.kind, 'permission');
    assert.match(r.message!, /WAL mode .* folder .* is read-only/);
    assert.match(r.advice!, /writable folder/);
    assert.doesNotMatch(`${r.message} ${r.advice}`, /damaged|corrupt|Full Disk Access/);
  }
  // SQLite's own code for it, from any read.
  const e = toChatDbError('/x/chat.db', Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY_DIRECTORY' }));
  assert.equal(e.kind, 'permission');
  assert.match(e.message, /read-only/);
});

test('a plain Unix permission error on Linux gets Unix advice, not Full Disk Access', { skip: process.platform === 'darwin' }, (t) => {
  const dir = tempDir(t);
  chmodSync(dir, 0o755);
  const path = join(dir, 'chat.db');
  copyFileSync(join(SHARED, 'chatdb/test.db'), path);
  chmodSync(path, 0o600);
  const r = openAsUser(path);
  assert.equal(r.kind, 'permission');
  assert.match(r.message!, /permission denied for user/);
  assert.match(r.advice!, /read access/);
  assert.doesNotMatch(`${r.message} ${r.advice}`, /Full Disk Access|macOS/);
});

test('a folder instead of chat.db', (t) => {
  const dir = tempDir(t);
  const e = openError(dir);
  assert.equal(e.kind, 'not_chatdb');
  assert.match(e.message, /is a folder, not Messages' chat\.db file/);
  assert.doesNotMatch(e.message, /EISDIR/);
});

test('a chat.db without message.guid or chat.guid is refused at open, naming the column', (t) => {
  for (const table of ['message', 'chat']) {
    const dir = tempDir(t);
    const fx = new FixtureDb(join(dir, 'chat.db'), 'sonoma');
    fx.message({ guid: 'G-1', text: 'hello' });
    fx.db.exec(`ALTER TABLE ${table} RENAME COLUMN guid TO guid_gone`);
    fx.close();
    const e = openError(fx.path);
    assert.equal(e.kind, 'not_chatdb');
    assert.match(e.message, new RegExp(`has a ${table} table without its guid column`));
  }
});
