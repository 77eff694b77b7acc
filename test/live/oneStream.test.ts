// Story: one event stream. The bridge runs (core + API, as `run` wires them)
// over the Messages simulator; a plain message, a tapback, a group event, an
// edit and an unsend happen, and a client that deduplicates by `key` gets each
// of them under ONE key, whichever way it arrives: live on SSE, after an SSE
// resume, after a WebSocket resume, POSTed to a webhook, replayed from chat.db
// rows the event log holds, and re-derived from rows older than the event log
// (written before the bridge first ran, or pruned from the log).
// Everything is driven through HTTP; the simulator plays Messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import WebSocket from 'ws';
import { parseConfig } from '../../src/config/load.ts';
import { openBridgeDb } from '../../src/core/db/bridgeDb.ts';
import { EventLog } from '../../src/core/store/eventLog.ts';
import { startBridge, type RunningBridge } from '../../src/daemon.ts';
import { apiPart } from '../../src/parts/api.ts';
import { TokenStore } from '../../src/api/tokens.ts';
import type { MessagesSimulator, SimChat } from '../../src/sim/simulator.ts';
import { sse } from '../api/support/sse.ts';
import { makeSim, memoryLog, NO_SENDER, waitFor } from '../core/support/harness.ts';

const ADA = '+15551230001';
const BOB = '+15551230002';

interface Frame { type: string; key: string; id: number | null }

/**
 * The five kinds of fact, written into chat.db the way Messages writes them;
 * returns each one's expected key (edit: a pattern). `seen` waits until the
 * bridge has the row: an edit comes later than its message, as in real life.
 */
async function writeFacts(sim: MessagesSimulator, chat: SimChat, tag: string, seen: (guid: string) => Promise<void> = async () => undefined): Promise<(string | RegExp)[]> {
  const plain = sim.receive(chat, { from: ADA, text: `${tag} plain` });
  const tap = sim.tapback(chat, { from: BOB, target: plain.guid, type: 'love' });
  const renamed = sim.groupEvent(chat, { type: 'renamed', actor: ADA, name: `${tag} trip` });
  const edited = sim.sendFromMe(chat, { text: `${tag} typo` });
  const unsent = sim.sendFromMe(chat, { text: `${tag} oops` });
  await seen(edited.guid);
  await seen(unsent.guid);
  sim.edit(edited.guid, `${tag} fixed`);
  sim.unsend(unsent.guid);
  return [`msg:${plain.guid}`, `react:${tap.guid}`, `group:${renamed.guid}`, `msg:${edited.guid}`, new RegExp(`^edit:${edited.guid}:\\d+$`), `msg:${unsent.guid}`, `unsend:${unsent.guid}`];
}

/** `keys` match `expected` one to one (each pattern matched by exactly one key). */
function assertKeys(keys: string[], expected: (string | RegExp)[], what: string): void {
  const unique = [...new Set(keys)];
  const matches = (k: string, e: string | RegExp) => (typeof e === 'string' ? k === e : e.test(k));
  const missing = expected.filter((e) => !unique.some((k) => matches(k, e)));
  const extra = unique.filter((k) => !expected.some((e) => matches(k, e)));
  assert.deepEqual({ missing: missing.map(String), extra }, { missing: [], extra: [] }, `${what}: got ${JSON.stringify(unique)}`);
}

const hasAll = (keys: string[], expected: (string | RegExp)[]) => expected.every((e) => keys.some((k) => (typeof e === 'string' ? k === e : e.test(k))));

test('each fact arrives under one key: live, SSE and WebSocket resume, webhook, and replayed from rows older than the event log', { timeout: 120_000 }, async (t) => {
  const { sim, dir } = makeSim(t);
  const chat = sim.addChat({ participants: [ADA, BOB], group: true, displayName: 'Trip' });
  // Before the bridge ever ran: these rows are in chat.db but will never be in the event log.
  const oldKeys = await writeFacts(sim, chat, 'old');

  const posted: Frame[] = [];
  const hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { posted.push(JSON.parse(body) as Frame); res.writeHead(204).end(); });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => hooks.once('listening', r));
  t.after(() => hooks.close());

  const dbPath = join(dir, 'bridge.db');
  const config = parseConfig([
    'imessage:', `  chat_db: "${sim.dbPath}"`, '  poll_interval_ms: 100', '  debounce_ms: 20',
    'bridge:', `  database: "${dbPath}"`,
    'api:', '  port: 0', '  web_client: false', '  webhook_backoff_ms: 50',
    '  webhooks:', `    - url: "http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook"`, '      secret: "a-very-secret-webhook-key"',
    '',
  ].join('\n'));
  const seed = openBridgeDb(dbPath);
  const token = new TokenStore(seed).create(['read'], 'story').token;
  seed.close();

  const { log } = memoryLog();
  let url = '';
  let bridge: RunningBridge | null = null;
  const start = async (): Promise<void> => {
    url = '';
    bridge = await startBridge({ config, connectors: [], log, handleSignals: false, sender: NO_SENDER, extraParts: [apiPart(config, log, (api) => { url = api.url; })!] });
    await waitFor(() => url !== '', 'the API to listen');
  };
  const stop = async (): Promise<void> => { await bridge?.stop(); bridge = null; };
  t.after(stop);
  await start();

  const ws = (lastEventId?: string) => {
    const frames: (Frame & { last_event_id?: string })[] = [];
    const socket = new WebSocket(`${url.replace('http', 'ws')}/v1/ws${lastEventId ? `?last_event_id=${encodeURIComponent(lastEventId)}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    socket.on('message', (d) => frames.push(JSON.parse(String(d))));
    const opened = new Promise((r) => socket.once('open', r));
    return { frames, opened, keys: () => frames.map((f) => f.key), lastId: () => frames.findLast((f) => f.last_event_id)?.last_event_id, close: () => socket.close() };
  };
  const sseKeys = (c: ReturnType<typeof sse>) => c.events.map((e) => e.data.key);

  // Live clients: one stays, one SSE and one WebSocket client leave after the first fact and resume.
  const live = sse(`${url}/v1/events`, token);
  const leaving = sse(`${url}/v1/events`, token);
  const socket = ws();
  await socket.opened;
  await waitFor(() => live.status() === 200 && leaving.status() === 200, 'SSE clients connected');
  // The connection is subscribed once a live row reaches it.
  const first = sim.receive(chat, { from: ADA, text: 'hello' });
  await waitFor(() => [live, leaving].every((c) => sseKeys(c).includes(`msg:${first.guid}`)) && socket.keys().includes(`msg:${first.guid}`), 'the first row live everywhere');
  const sseResumeAt = leaving.lastId()!;
  const wsResumeAt = socket.lastId()!;
  assert.match(sseResumeAt, /^\d+:\d+$/, 'with the event log, positions are <rowid>:<seq>');
  leaving.close();
  socket.close();

  const liveKeys = [`msg:${first.guid}`, ...await writeFacts(sim, chat, 'live', (guid) => waitFor(() => sseKeys(live).includes(`msg:${guid}`), `${guid} live`))];
  await waitFor(() => hasAll(sseKeys(live), liveKeys), 'every live fact on the live SSE client', 30_000)
    .catch((e: unknown) => { throw new Error(`${(e as Error).message}: got ${JSON.stringify(sseKeys(live))}, want ${liveKeys.map(String).join(' ')}`); });
  assertKeys(sseKeys(live), liveKeys, 'live SSE');
  assert.equal(live.events.length, new Set(sseKeys(live)).size, 'live: nothing twice');

  // Sentinel instead of a quiet-period sleep: a row written now reaches each
  // stream after anything still trailing in; it is a live fact from then on.
  const sentinel = async (tag: string, seenBy: (() => string[])[]): Promise<void> => {
    const key = `msg:${sim.receive(chat, { from: ADA, text: `sentinel ${tag}` }).guid}`;
    await waitFor(() => seenBy.every((keys) => keys().includes(key)), `sentinel ${tag} on every stream`);
    liveKeys.push(key);
  };

  const resumed = sse(`${url}/v1/events`, token, sseResumeAt);
  const wsResumed = ws(wsResumeAt);
  const missed = liveKeys.slice(1);
  await waitFor(() => hasAll(sseKeys(resumed), missed) && hasAll(wsResumed.keys(), missed), 'the missed facts after SSE and WebSocket resume');
  await waitFor(() => hasAll(posted.map((p) => p.key), liveKeys), 'every live fact POSTed to the webhook');
  // Nothing else (no second key for any row) trails in before the sentinel.
  await sentinel('after resume', [() => sseKeys(resumed), () => wsResumed.keys(), () => posted.map((p) => p.key)]);
  assertKeys([...sseKeys(leaving), ...sseKeys(resumed)], liveKeys, 'SSE across a reconnect, deduped by key');
  assertKeys([...socket.keys(), ...wsResumed.keys()], liveKeys, 'WebSocket across a reconnect, deduped by key');
  assertKeys(posted.map((p) => p.key), liveKeys, 'webhook');
  assert.equal(posted.length, new Set(posted.map((p) => p.key)).size, 'webhook: nothing POSTed twice');
  const liveEdit = sseKeys(live).find((k) => k.startsWith('edit:'))!;
  assert.ok(sseKeys(resumed).includes(liveEdit), 'the edit resumes under the very key it had live (same date_edited)');

  // From the start of chat.db: rows before the bridge (never logged) are re-derived,
  // rows in the event log come back as the core logged them.
  const fromStart = sse(`${url}/v1/events`, token, '0:0');
  await waitFor(() => hasAll(sseKeys(fromStart), [...oldKeys, ...liveKeys]), 'the whole history replayed');
  await sentinel('after replay', [() => sseKeys(fromStart)]);
  assertKeys(sseKeys(fromStart), [...oldKeys, ...liveKeys], 'replay from 0 (old rows re-derived, logged rows from the log)');
  assert.ok(sseKeys(fromStart).includes(liveEdit));
  const typeOf = (c: ReturnType<typeof sse>, key: string) => c.events.find((e) => e.data.key === key)?.event;
  assert.equal(typeOf(fromStart, oldKeys[1] as string), 'reaction', 'an old tapback is a reaction, not a message');
  assert.equal(typeOf(fromStart, oldKeys[2] as string), 'group_event');
  for (const c of [live, resumed, fromStart]) c.close();
  wsResumed.close();

  // The event log forgets everything (as it does after ~3 days); the bridge restarts.
  await stop();
  const db = openBridgeDb(dbPath);
  assert.ok(new EventLog(db).prune(Date.now() + 1) > 0);
  assert.equal(new EventLog(db).lastSeq(), 0);
  db.close();
  await start();
  const rederived = sse(`${url}/v1/events`, token, '0:0');
  await waitFor(() => hasAll(sseKeys(rederived), [...oldKeys, ...liveKeys]), 'the whole history re-derived from chat.db');
  await sentinel('after re-derive', [() => sseKeys(rederived)]);
  assertKeys(sseKeys(rederived), [...oldKeys, ...liveKeys], 'replay with an empty event log');
  assert.ok(sseKeys(rederived).includes(liveEdit), 'a re-derived edit has the key it had live');
  assert.equal(rederived.events.length, new Set(sseKeys(rederived)).size, 'replay: nothing twice');
  rederived.close();
});
