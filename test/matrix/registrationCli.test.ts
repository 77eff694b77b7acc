// `imessage-bridge matrix registration`, run as a user would: the real CLI in a
// child process, the YAML it writes parsed back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Registration } from '../../src/connectors/matrix/registration.ts';

let dir = '';
const BIN = join(process.cwd(), 'bin', 'imessage-bridge.js');

before(() => { dir = mkdtempSync(join(tmpdir(), 'mx-reg-cli-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

function config(name: string, matrix: string): string {
  const file = join(dir, name);
  writeFileSync(file, `bridge:\n  database: ${join(dir, 'bridge.db')}\n${matrix}`);
  return file;
}

const MATRIX = `matrix:
  homeserver_url: http://127.0.0.1:8008
  homeserver_name: example.org
  mode: appservice
  owners: ["@me:example.org"]
  appservice:
    port: 29444
`;

test('writes a registration: one exclusive user namespace, tokens, url, sender_localpart, not rate limited; a re-run keeps the tokens', { timeout: 120_000 }, async () => {
  const cfg = config('config.yaml', MATRIX);
  const out = join(dir, 'synapse', 'imessage-registration.yaml');
  const first = await cli(['matrix', 'registration', '--config', cfg, '--out', out]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, new RegExp(`wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const reg = parse(readFileSync(out, 'utf8')) as Registration;
  assert.equal(reg.namespaces.users.length, 1);
  const users = reg.namespaces.users[0]!;
  assert.equal(users.exclusive, true);
  const ns = new RegExp(`^${users.regex}$`);
  assert.ok(ns.test('@_imessage_=2b15551230001:example.org'), 'ghosts are in the namespace');
  assert.ok(!ns.test('@me:example.org') && !ns.test('@_imessage_x:example.com'), 'nobody else is');
  assert.match(reg.as_token, /^[0-9a-f]{64}$/);
  assert.match(reg.hs_token, /^[0-9a-f]{64}$/);
  assert.notEqual(reg.as_token, reg.hs_token);
  assert.equal(reg.url, 'http://127.0.0.1:29444');
  assert.equal(reg.sender_localpart, 'imessagebot');
  assert.equal(reg.rate_limited, false);
  assert.equal(statSync(out).mode & 0o777, 0o600, 'tokens are readable by the owner only');
  assert.match(first.stdout, /Note: the bridge reads its tokens from .*imessage-registration\.yaml \(matrix\.appservice\.registration\); set that to /, 'a file written elsewhere than the bridge reads is pointed out');

  const again = await cli(['matrix', 'registration', '--config', cfg, '--out', out]);
  assert.equal(again.code, 0, again.stderr);
  const reg2 = parse(readFileSync(out, 'utf8')) as Registration;
  assert.equal(reg2.as_token, reg.as_token);
  assert.equal(reg2.hs_token, reg.hs_token);
  assert.ok(!again.stdout.includes(reg.as_token) && !again.stdout.includes(reg.hs_token), 'tokens are never printed');

  // Written where the config says, no note, and the bridge's own loader gets the same tokens.
  const atConfig = config('config2.yaml', MATRIX.replace('    port: 29444\n', `    port: 29444\n    registration: ${out}\n`));
  const third = await cli(['matrix', 'registration', '--config', atConfig]);
  assert.equal(third.code, 0, third.stderr);
  assert.ok(!third.stdout.includes('Note:'), third.stdout);
  assert.equal((parse(readFileSync(out, 'utf8')) as Registration).as_token, reg.as_token);
});

test('a config without a matrix section → exit 1 with advice, nothing written', { timeout: 60_000 }, async () => {
  const cfg = config('no-matrix.yaml', '');
  const out = join(dir, 'never.yaml');
  const r = await cli(['matrix', 'registration', '--config', cfg, '--out', out]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /has no matrix section/);
  assert.match(r.stderr, /advice:/);
  assert.throws(() => statSync(out), /ENOENT/);
});
