// bridge.media in a config file changes what `imessage-bridge run` does: with
// conversion on, an iPhone HEIC photo is served as JPEG and the converted file
// lands in the configured cache_dir; with `convert: false` the same photo is
// served as Messages stored it. Driven through the CLI (token new, run) and
// HTTP only. Needs heif-enc (scripts/ci/media.sh installs it).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { heic } from '../media/fixtures.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');

function setup(t: TestContext): { dir: string; guid: string; photo: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'imb-media-cfg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const photo = readFileSync(heic(dir, 'IMG_0001.HEIC', 64, 32));
  const sim = MessagesSimulator.create({ dir: join(dir, 'sim') });
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const msg = sim.receive(chat, { from: '+15551230001', attachments: [{ name: 'IMG_0001.HEIC', bytes: photo }] });
  sim.close();
  writeFileSync(join(dir, 'base.yaml'), `imessage:\n  chat_db: "${sim.dbPath}"\n  contacts_dir: "${join(dir, 'none')}"\n`);
  return { dir, guid: msg.guid, photo };
}

function writeConfig(dir: string, name: string, media: string): string {
  const path = join(dir, name);
  writeFileSync(path, `${readFileSync(join(dir, 'base.yaml'), 'utf8')}bridge:\n  database: "${join(dir, 'bridge.db')}"\n  media:\n${media}api:\n  port: 0\n`);
  return path;
}

function newToken(config: string): string {
  const r = spawnSync(process.execPath, [BIN, 'token', 'new', '--scope', 'read', '--config', config], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

async function run(t: TestContext, config: string): Promise<{ url: string; child: ChildProcess }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  delete env.LOG_FORMAT;
  const child = spawn(process.execPath, [BIN, 'run', '--config', config], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  let out = '';
  return new Promise((resolve, reject) => {
    const look = (d: Buffer): void => {
      out += d.toString();
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"API listening"|"msg":"API listening".*"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (url) resolve({ url: (url[1] ?? url[2])!, child });
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.once('exit', (code) => reject(new Error(`run exited ${code} before the API listened:\n${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

async function getPhoto(url: string, token: string, guid: string): Promise<{ type: string | null; bytes: Buffer }> {
  const res = await fetch(`${url}/v1/attachments/${guid}/0`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return { type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

test('bridge.media from the config file: cache_dir is used when converting, convert: false serves the original', { timeout: 180_000 }, async (t) => {
  const { dir, guid, photo } = setup(t);
  const cache = join(dir, 'my-media-cache');
  const on = writeConfig(dir, 'on.yaml', `    convert: true\n    cache_dir: "${cache}"\n    thumbnail_size: 64\n`);
  const token = newToken(on);

  const a = await run(t, on);
  const jpeg = await getPhoto(a.url, token, guid);
  await stop(a.child);
  assert.equal(jpeg.type, 'image/jpeg');
  assert.deepEqual([...jpeg.bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'JPEG magic');
  assert.ok(existsSync(cache) && readdirSync(cache).length > 0, `converted file kept in the configured cache_dir ${cache}`);
  assert.ok(!existsSync(join(dir, 'media-cache')), 'not in the default cache next to bridge.database');

  const off = writeConfig(dir, 'off.yaml', '    convert: false\n');
  const b = await run(t, off);
  const original = await getPhoto(b.url, token, guid);
  await stop(b.child);
  assert.equal(original.type, 'image/heic');
  assert.deepEqual(original.bytes, photo, 'the HEIC exactly as Messages stored it');
});

test('a bad bridge.media value stops `run` with the key and the line, before anything starts', async (t) => {
  const { dir } = setup(t);
  const bad = writeConfig(dir, 'bad.yaml', '    timeout_ms: 5\n');
  const r = spawnSync(process.execPath, [BIN, 'run', '--config', bad], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr + r.stdout, /bridge\.media\.timeout_ms \(line \d+\): at least 1000 ms/);
  assert.ok(!existsSync(join(dir, 'bridge.db')), 'no bridge database created');
});
