import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.ts';
import { openBridgeDb } from '../../src/core/db/bridgeDb.ts';
import { startBridge } from '../../src/daemon.ts';
import { chatGuid } from '../../src/ids.ts';
import { makeSim, memoryLog, RecordingConnector, waitFor } from './support/harness.ts';
import { simSender } from './support/simSender.ts';

const BIN = join(import.meta.dirname, '../../bin/imessage-bridge.js');

test('stop() drains deliveries in flight and loses nothing: the rest is delivered after a restart', async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: ['+15551230001'] });
  const config = parseConfig(`imessage: { chat_db: "${sim.dbPath}", poll_interval_ms: 200, debounce_ms: 20 }\nbridge: { database: "${join(dir, 'bridge.db')}" }`);
  const slow = new RecordingConnector('slow', { delayMs: 150 });
  const run1 = await startBridge({ config, connectors: [slow], log: memoryLog().log, handleSignals: false, sender: simSender(sim) });
  for (let i = 0; i < 10; i++) sim.receive(chat, { from: '+15551230001', text: `n${i}` });
  await waitFor(() => slow.received.length >= 2, 'deliveries under way');
  await run1.stop();
  const db = openBridgeDb(config.bridge.database);
  assert.equal(db.prepare("SELECT count(*) FROM delivery WHERE state = 'inflight'").pluck().get(), 0, 'nothing left half-delivered');
  db.close();
  await assert.rejects(run1.core.send({ chatGuid: chatGuid(chat.guid), text: 'late', from: { connector: 'slow', userId: 'u', displayName: 'U' } }, { kind: 'connector' }), /shutting down/);
  const again = new RecordingConnector('slow');
  const run2 = await startBridge({ config, connectors: [again], log: memoryLog().log, handleSignals: false, sender: simSender(sim) });
  t.after(() => run2.stop());
  await waitFor(() => slow.received.length + again.received.length === 10, 'the rest after restart');
  assert.deepEqual([...slow.keys(), ...again.keys()].map((k) => k).length, new Set([...slow.keys(), ...again.keys()]).size, 'no duplicates');
});

test('`run` shuts down cleanly on SIGTERM', async (t) => {
  const { sim, dir } = makeSim(t);
  const cfg = join(dir, 'config.yaml');
  writeFileSync(cfg, `imessage:\n  chat_db: "${sim.dbPath}"\nbridge:\n  database: "${join(dir, 'bridge.db')}"\n`);
  const child = spawn(process.execPath, [BIN, 'run', '--config', cfg], { cwd: dir, env: { ...process.env, LOG_LEVEL: 'info' } });
  t.after(() => { child.kill('SIGKILL'); });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  await waitFor(() => err.includes('bridge running'), 'the daemon to start', 20_000);
  child.kill('SIGTERM');
  const code = await new Promise((r) => child.once('exit', (c) => r(c)));
  assert.equal(code, 0);
  assert.match(err, /bridge stopped/);
});
