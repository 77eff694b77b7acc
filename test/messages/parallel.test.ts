// test-tier: story
// A whole-table `messages` read on worker threads (src/cli/messages/parallel.ts)
// prints exactly what one thread prints, in ROWID order, with bounded chunks
// in flight; a reader that goes away (`| head`) ends it cleanly; a bad
// --threads is a clear error. Plus the byte buffer the lines are written to.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { LineBuffer } from '../../src/cli/messages/lineBuffer.ts';
import { parallelLines } from '../../src/cli/messages/parallel.ts';
import { ChatDb } from '../../src/imessage/db/index.ts';
import { messageJsonLine, messageToJson } from '../../src/imessage/json.ts';
import { generate } from '../../src/sim/generator.ts';
import { tempDir } from '../imessage/fixture.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');
function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28, env: { ...process.env, LOG_LEVEL: 'warn' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function generated(t: Parameters<typeof tempDir>[0], messages: number): string {
  return generate({ dir: tempDir(t, 'imb-parallel-'), messages, chats: 12, seed: 15, attachmentFiles: false }).dbPath;
}

test('messages --threads n prints byte for byte what one thread prints, JSON and text, whole or after a ROWID', (t) => {
  const db = generated(t, 4000);
  const one = run(['messages', '--db', db, '--json', '--threads', '1']);
  assert.equal(one.code, 0, one.stderr);
  const reader = ChatDb.open(db);
  const expected = [...reader.iterateMessages()].map((m) => JSON.stringify(messageToJson(m)));
  reader.close();
  assert.equal(expected.length, 4000);
  assert.deepEqual(one.stdout.trimEnd().split('\n'), expected, 'one thread is the contract');
  for (const threads of ['2', '3']) {
    const many = run(['messages', '--db', db, '--json', '--threads', threads]);
    assert.equal(many.code, 0, many.stderr);
    assert.equal(many.stdout, one.stdout, `--threads ${threads}`);
  }
  const text1 = run(['messages', '--db', db, '--threads', '1', '--since-rowid', '1234']);
  const text2 = run(['messages', '--db', db, '--threads', '2', '--since-rowid', '1234']);
  assert.equal(text1.code, 0, text1.stderr);
  assert.ok(text1.stdout.split('\n').length > 2000);
  assert.equal(text2.stdout, text1.stdout, 'human lines after a ROWID');
  const bad = run(['messages', '--db', db, '--threads', '0']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--threads.*expected a number of threads from 1 to 64/);
});

test('parallelLines: small chunks over many threads come back in ROWID order, each chunk once', async (t) => {
  const path = generated(t, 600);
  const reader = ChatDb.open(path);
  const all = [...reader.iterateMessages()];
  const maxRowid = reader.maxRowid();
  reader.close();
  const expected = all.map((m) => `${messageJsonLine(m)}\n`).join('');
  let got = '';
  let chunks = 0;
  // 7 ROWIDs a chunk: ~85 chunks, far more than the window of chunks in flight.
  for await (const { bytes, written } of parallelLines({ path, format: 'json', after: -1, maxRowid, threads: 3, chunkRows: 7 })) {
    got += Buffer.from(bytes).toString('utf8');
    chunks++;
    written();
  }
  assert.ok(chunks > 50, `${chunks} chunks`);
  assert.equal(got, expected);
  // From the middle, and with nothing left after it.
  const mid = all[300]!.rowid;
  let tail = '';
  for await (const { bytes } of parallelLines({ path, format: 'json', after: mid, maxRowid, threads: 2, chunkRows: 50 })) tail += Buffer.from(bytes).toString('utf8');
  assert.equal(tail, all.filter((m) => m.rowid > mid).map((m) => `${messageJsonLine(m)}\n`).join(''));
  let none = 0;
  for await (const { bytes } of parallelLines({ path, format: 'json', after: maxRowid, maxRowid, threads: 2 })) none += bytes.length;
  assert.equal(none, 0);
});

test('a reader that stops early (| head) ends a threaded read cleanly', async (t) => {
  const db = generated(t, 3000);
  const child = spawn(process.execPath, [BIN, 'messages', '--db', db, '--json', '--threads', '2'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const first = await new Promise<string>((resolve) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) { child.stdout.destroy(); resolve(buf.slice(0, buf.indexOf('\n'))); }
    });
  });
  assert.equal((JSON.parse(first) as { rowid: number }).rowid, 1);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 0, stderr);
  assert.doesNotMatch(stderr, /error/i);
});

test('LineBuffer: UTF-8 lines of any size, growth, and a detached buffer reused as the spare', () => {
  const spares: ArrayBuffer[] = [];
  const lb = new LineBuffer(8, () => spares.pop());
  const lines = ['a', 'é👋🏽\u2028"', 'x'.repeat(100), '', '\ud83d lone', 'שלום'];
  for (const l of lines) lb.push(l);
  const d = lb.detach();
  assert.equal(Buffer.from(d.buffer, 0, d.length).toString('utf8'), Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8').toString('utf8'));
  spares.push(d.buffer);
  lb.push('again');
  const d2 = lb.detach();
  assert.equal(Buffer.from(d2.buffer, 0, d2.length).toString('utf8'), 'again\n');
  assert.equal(spares.length, 0, 'the spare was taken');
  lb.push('third');
  const d3 = lb.detach();
  assert.equal(d3.buffer, d.buffer, 'and written into again');
  assert.equal(Buffer.from(d3.buffer, 0, d3.length).toString('utf8'), 'third\n');
  lb.push('copied');
  assert.equal(Buffer.from(lb.take()).toString('utf8'), 'copied\n');
  assert.equal(lb.length, 0);
});
