// Exactly-once hand-off to the outbox, retries that outlast outages, puppet
// echoes, and media hygiene: driven directly, no homeserver needed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBridgeDb, type BridgeDb } from '../../src/core/db/bridgeDb.ts';
import { OutboxStore } from '../../src/core/store/outboxStore.ts';
import { CoreDouble } from '../core/support/coreDouble.ts';
import type { CoreHandle } from '../../src/core/connector.ts';
import type { SendIntent } from '../../src/core/events.ts';
import { chatGuid, messageGuid } from '../../src/ids.ts';
import { MatrixStore, type MatrixEvent } from '../../src/connectors/matrix/store.ts';
import { openMatrixKit } from '../../src/connectors/matrix/kit.ts';
import { ConnectorKits } from '../../src/core/kit/index.ts';
import { InboundWorker } from '../../src/connectors/matrix/inboundWorker.ts';
import { Commands } from '../../src/connectors/matrix/commands.ts';
import { Incoming } from '../../src/connectors/matrix/incoming.ts';
import { reactions } from '../../src/connectors/matrix/reactions.ts';
import { mediaDirFor, sweepDownloads } from '../../src/connectors/matrix/mediaFiles.ts';
import { downloadMediaTo } from '../../src/connectors/matrix/api.ts';
import { MatrixConnectorError } from '../../src/connectors/matrix/errors.ts';
import { captureLog, chat1, env, msg, until } from './helpers.ts';

const cleanup: Array<() => void> = [];
after(() => { for (const c of cleanup.reverse()) c(); });

function world(): { dir: string; db: BridgeDb; store: MatrixStore; outbox: OutboxStore; core: CoreDouble } {
  const dir = mkdtempSync(join(tmpdir(), 'mx-rel-'));
  const db = openBridgeDb(join(dir, 'bridge.db'));
  cleanup.push(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });
  return { dir, db, store: new MatrixStore(openMatrixKit(new ConnectorKits(db)).storage), outbox: new OutboxStore(db), core: new CoreDouble(db, () => null, { mirrorEverything: true }) };
}

/** The core's real send desk on the world's database: sends land in the durable outbox, deduped by origin. `calls`: every send asked for. */
function outboxCore(w: { core: CoreDouble }): CoreHandle & { calls: SendIntent[] } {
  const calls: SendIntent[] = [];
  const d = w.core;
  return {
    calls, isMirrored: () => true, check: (a) => d.check(a), sentFrom: (o) => d.sentFrom(o), filesInUse: () => d.filesInUse(), status: () => d.status(), note: () => undefined,
    async send(i) { calls.push(i); return d.send(i); },
  };
}

const homeserverDown = (): Error => Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
const http = (status: number, errcode: string): Error => Object.assign(new Error(`${errcode}: nope`), { statusCode: status, errcode });
const fast = { baseMs: 5, capMs: 40, idleMs: 50 };
const OWNER = '@owner:x';
const bodyOf = (c: unknown): string => String((c as { body?: unknown }).body ?? '');

function fakeBot(fails: () => Error | null): { userId: string; sent: Array<{ room: string; type: string; content: Record<string, unknown> }>; send: (r: string, t: string, c: Record<string, unknown>) => Promise<string> } {
  const sent: Array<{ room: string; type: string; content: Record<string, unknown> }> = [];
  return { userId: '@bot:x', sent, async send(room, type, content) { const e = fails(); if (e) throw e; sent.push({ room, type, content }); return `$r${sent.length}`; } };
}

function incoming(w: ReturnType<typeof world>, core: CoreHandle, bot: ReturnType<typeof fakeBot>, hsUrl = 'http://127.0.0.1:9'): Incoming {
  const actors = { mode: 'appservice', bot, isBridgeUser: (u: string) => u === bot.userId };
  return new Incoming({
    connectorId: 'matrix', actors: actors as never, portals: { chatFor: (r: string) => (r === '!portal:x' ? 'iMessage;-;+15551230001' : null) } as never,
    map: { byRemote: () => null } as never, core: () => core, allowed: new Set([OWNER]), hsUrl, mediaToken: 't', mediaRoot: join(w.dir, 'matrix-media'),
    commands: {} as never, log: captureLog().log,
  });
}

const text = (id: string, room = '!portal:x', body = 'hello'): MatrixEvent => ({ event_id: id, room_id: room, type: 'm.room.message', sender: OWNER, content: { msgtype: 'm.text', body } });
const stateOf = (db: BridgeDb, id: string): string => db.prepare('SELECT state FROM matrix_inbound WHERE event_id = ?').pluck().get(id) as string;
const outboxRows = (db: BridgeDb, id: string): number => db.prepare('SELECT COUNT(*) FROM outbox WHERE origin_remote_id = ?').pluck().get(id) as number;

test('!imessage new: a failing confirmation reply neither claims failure nor sends twice on retry', async () => {
  const w = world();
  const core = outboxCore(w);
  let replyFailures = 2;
  const bot = fakeBot(() => (replyFailures-- > 0 ? http(502, 'M_UNKNOWN') : null));
  const cmds = new Commands({ connectorId: 'matrix', actors: { bot } as never, core: () => core, status: async () => ({}), managementRoom: () => '!m:x' });
  const worker = new InboundWorker(w.store, (e) => cmds.maybeHandle(e), captureLog().log, fast);
  w.store.enqueue([{ ...text('$cmd', '!m:x', '!imessage new +15551234567 Hello there') }]);
  worker.start();
  try {
    await until(() => stateOf(w.db, '$cmd') === 'done', 'command handled');
  } finally { await worker.stop(); }
  assert.equal(outboxRows(w.db, '$cmd'), 1, 'one send for one command, however often the reply failed');
  assert.deepEqual(bot.sent.map((s) => bodyOf(s.content).split(':')[0]), ['Sending to +15551234567']);
});

test('!imessage new: a refused send is reported once, and nothing reached the outbox', async () => {
  const w = world();
  const bot = fakeBot(() => null);
  w.core.refuse = () => new Error('not allowed');
  const cmds = new Commands({ connectorId: 'matrix', actors: { bot } as never, core: () => outboxCore(w), status: async () => ({}), managementRoom: () => '!m:x' });
  await cmds.maybeHandle(text('$c2', '!m:x', '!imessage new bob@example.com hi'));
  assert.deepEqual(bot.sent.map((s) => bodyOf(s.content)), ['❌ Could not send to bob@example.com: not allowed']);
  assert.equal(outboxRows(w.db, '$c2'), 0);
});

test('a crash after core.send (bookkeeping throws once) → exactly one outbox entry', async () => {
  const w = world();
  const core = outboxCore(w);
  const inc = incoming(w, core, fakeBot(() => null));
  const finish = w.store.finish.bind(w.store);
  let crashes = 1;
  w.store.finish = (id, state, error) => { if (state === 'done' && crashes-- > 0) throw new Error('SQLITE_IOERR: disk I/O error'); finish(id, state, error); };
  const worker = new InboundWorker(w.store, (e) => inc.handle(e), captureLog().log, fast);
  w.store.enqueue([text('$once')]);
  worker.start();
  try {
    await until(() => stateOf(w.db, '$once') === 'done', 'event done after the retry');
  } finally { await worker.stop(); }
  assert.equal(crashes, -1, 'the crash was simulated');
  assert.equal(outboxRows(w.db, '$once'), 1, 'handed in again after the crash, queued once');
});

test('after a restart, the outbox decides: an event is sent only if it never reached the outbox', async () => {
  const w = world();
  const core = outboxCore(w);
  const inc = incoming(w, core, fakeBot(() => null));
  // Reached the outbox before the crash (its inbound row was never marked done).
  w.outbox.insert({ chatGuid: chatGuid('iMessage;-;+15551230001'), text: 'hello', from: { connector: 'matrix', userId: OWNER, displayName: 'owner' }, origin: { connector: 'matrix', remoteId: '$a' } });
  await inc.handle(text('$a'));
  await inc.handle(text('$b'));
  assert.equal(outboxRows(w.db, '$a'), 1);
  assert.equal(outboxRows(w.db, '$b'), 1);
  assert.deepEqual(core.sentFrom({ connector: 'matrix', remoteId: '$a' }).map((r) => r.already ?? false), [false]);
});

test('double puppet: a tapback bridged from the phone is marked and not answered with a "can\'t reach iMessage" notice', async () => {
  const w = world();
  const posted: Array<{ type: string; content: Record<string, unknown> }> = [];
  const puppet = { userId: OWNER, send: async (_r: string, type: string, content: Record<string, unknown>) => { posted.push({ type, content }); return '$tap'; } };
  const alice = chat1();
  const target = msg(alice, { text: 'hi' });
  const tap = msg(alice, { kind: 'reaction', fromMe: true, sender: 'me', reaction: { type: 'love', emoji: '❤️', targetGuid: target.guid, targetPart: 0, removed: false } });
  const deps = {
    connectorId: 'matrix', log: captureLog().log, displayName: (h: string) => h, store: w.store, portals: {} as never,
    map: { remote: () => '$m', remotes: () => [] },
    actors: { bot: { userId: '@bot:x' }, poster: async () => ({ api: puppet, label: null }) },
  };
  await reactions(deps as never, env(`tapback:${tap.guid}`, { type: 'reaction', chat: alice, message: tap }), alice, tap, '!portal:x');
  assert.equal(posted[0]?.type, 'm.reaction');
  const bot = fakeBot(() => null);
  const inc = incoming(w, outboxCore(w), bot);
  await inc.handle({ event_id: '$tap', room_id: '!portal:x', type: 'm.reaction', sender: OWNER, content: posted[0]?.content ?? {} });
  assert.equal(bot.sent.length, 0, 'the bridge\'s own tapback is not treated as one made in Matrix');
  // A reaction the owner really made in Element still gets the notice.
  await inc.handle({ event_id: '$mine', room_id: '!portal:x', type: 'm.reaction', sender: OWNER, content: { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$m', key: '👍' } } });
  assert.match(bodyOf(bot.sent[0]?.content), /^Reactions made in Matrix can't reach iMessage/);
});

test('the worker outlasts an outage: transient failures retry past any count; other rooms are not held up', async () => {
  const w = world();
  const handled: string[] = [];
  let outage = 15; // well past the old 8-attempt limit
  const worker = new InboundWorker(w.store, async (e) => {
    if (e.room_id === '!a:x' && outage-- > 0) throw outage % 2 ? homeserverDown() : http(outage % 3 ? 503 : 429, 'M_LIMIT_EXCEEDED');
    handled.push(e.event_id);
  }, captureLog().log, fast);
  w.store.enqueue([text('$a1', '!a:x'), text('$a2', '!a:x'), text('$b1', '!b:x'), text('$b2', '!b:x')]);
  worker.start();
  try {
    await until(() => handled.includes('$b2'), 'room b handled');
    assert.deepEqual(handled.filter((h) => h.startsWith('$b')), ['$b1', '$b2']);
    assert.ok(!handled.includes('$a1'), 'room b went ahead while room a waited');
    await until(() => handled.includes('$a2'), 'room a handled once the outage ended');
  } finally { await worker.stop(); }
  assert.deepEqual(handled, ['$b1', '$b2', '$a1', '$a2'], 'order kept within each room');
  assert.equal(stateOf(w.db, '$a1'), 'done');
});

test('the worker parks only permanent failures, and tells the user in the room', async () => {
  const w = world();
  const parked: Array<[string, string]> = [];
  let unknownFailures = 0;
  const worker = new InboundWorker(w.store, async (e) => {
    if (e.event_id === '$forbidden') throw http(403, 'M_FORBIDDEN');
    if (e.event_id === '$bug') { unknownFailures++; throw new Error('cannot read properties of undefined'); }
  }, captureLog().log, { ...fast, maxUnknownAttempts: 3, onParked: async (e, reason) => { parked.push([e.event_id, reason]); } });
  w.store.enqueue([text('$forbidden'), text('$after'), text('$bug', '!c:x')]);
  worker.start();
  try {
    await until(() => stateOf(w.db, '$after') === 'done' && stateOf(w.db, '$bug') === 'failed', 'all settled');
  } finally { await worker.stop(); }
  assert.equal(stateOf(w.db, '$forbidden'), 'failed');
  assert.equal(unknownFailures, 3);
  assert.deepEqual(parked.map(([id]) => id).sort(), ['$bug', '$forbidden']);
  assert.match(parked.find(([id]) => id === '$forbidden')?.[1] ?? '', /M_FORBIDDEN/);
  // Incoming's parked notice goes to the room, in reply to the event.
  const bot = fakeBot(() => null);
  await incoming(w, outboxCore(w), bot).parked(text('$forbidden'), 'M_FORBIDDEN: nope');
  assert.match(bodyOf(bot.sent[0]?.content), /gave up on this message; it was not sent to iMessage: M_FORBIDDEN/);
  assert.equal(bot.sent[0]?.room, '!portal:x');
});

test('a media message during an outage is retried, not dropped with a notice', async () => {
  const w = world();
  const bot = fakeBot(() => null);
  const inc = incoming(w, outboxCore(w), bot, 'http://127.0.0.1:1');
  const media: MatrixEvent = { event_id: '$img', room_id: '!portal:x', type: 'm.room.message', sender: OWNER, content: { msgtype: 'm.image', body: 'p.png', url: 'mxc://x/abc' } };
  await assert.rejects(inc.handle(media), (e: unknown) => (e as Error).message === 'fetch failed');
  assert.equal(bot.sent.length, 0);
  assert.equal(outboxRows(w.db, '$img'), 0);
});

test('the core deletes a downloaded file at its final fate; a start-up sweep removes old leftovers not still queued', async () => {
  const w = world();
  const root = join(w.dir, 'matrix-media');
  const dirOf = (id: string): string => { const d = mediaDirFor(root, id); mkdirSync(d, { recursive: true }); writeFileSync(join(d, 'f.png'), 'x'); return d; };
  const sentDir = dirOf('$sent');
  const queuedDir = dirOf('$queued');
  const intent = (id: string): SendIntent => ({ chatGuid: chatGuid('iMessage;-;+15551230001'), file: { path: join(mediaDirFor(root, id), 'f.png'), name: 'f.png', owned: true }, from: { connector: 'matrix', userId: OWNER, displayName: 'owner' }, origin: { connector: 'matrix', remoteId: id } });
  const queued = await w.core.send(intent('$queued'));
  const sent = await w.core.send(intent('$sent'));
  await w.core.settle(queued, { state: 'sending' });
  assert.ok(existsSync(queuedDir), 'kept while the send is in flight');
  await w.core.settle(sent, { state: 'sent', messageGuid: messageGuid('G-1') });
  assert.ok(!existsSync(sentDir), 'deleted once sent');

  const oldDir = dirOf('$old');
  const recentDir = dirOf('$recent');
  const long = new Date(Date.now() - 10 * 24 * 3600_000);
  for (const d of [oldDir, queuedDir]) utimesSync(d, long, long);
  assert.equal(sweepDownloads(root, w.core.filesInUse(), 3 * 24 * 3600_000), 1);
  assert.deepEqual([oldDir, queuedDir, recentDir].map(existsSync), [false, true, true]);
});

test('old handled events and transaction ids are pruned; pending ones are kept', () => {
  const w = world();
  w.store.enqueue([text('$old'), text('$oldPending'), text('$new')]);
  w.store.acceptTransaction('t-old', []);
  const long = Date.now() - 10 * 24 * 3600_000;
  w.db.prepare("UPDATE matrix_inbound SET received_at = ? WHERE event_id IN ('$old', '$oldPending')").run(long);
  w.db.prepare('UPDATE matrix_txn SET received_at = ?').run(long);
  w.db.prepare("UPDATE matrix_inbound SET state = 'done' WHERE event_id IN ('$old', '$new')").run();
  assert.deepEqual(w.store.prune(3 * 24 * 3600_000, 30 * 24 * 3600_000), { inbound: 1, txns: 1 });
  assert.deepEqual(w.db.prepare('SELECT event_id FROM matrix_inbound ORDER BY id').pluck().all(), ['$oldPending', '$new']);
});

test('media downloads stream under a byte cap: a declared or actual size past it aborts and leaves no file', async () => {
  const w = world();
  const total = 8 * 1024 * 1024;
  let written = 0;
  let closedEarly = false;
  const server = createServer((req, res) => {
    if (req.url?.endsWith('/declared')) { res.writeHead(200, { 'content-length': String(total) }); res.flushHeaders(); res.on('close', () => { closedEarly = !res.writableFinished; }); return; }
    if (req.url?.endsWith('/small')) { res.end(Buffer.alloc(1000, 7)); return; }
    // No Content-Length: the cap must be enforced while streaming.
    res.writeHead(200, { 'content-type': 'image/png' });
    const chunk = Buffer.alloc(64 * 1024, 1);
    const pump = (): void => { while (written < total) { written += chunk.length; if (!res.write(chunk)) { res.once('drain', pump); return; } } res.end(); };
    res.on('close', () => { closedEarly ||= !res.writableFinished; });
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => server.close());
  const hs = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const path = join(w.dir, 'f.bin');
  const cap = 1024 * 1024;
  await assert.rejects(downloadMediaTo(hs, 't', 'mxc://x/chunked', path, cap), (e: unknown) => e instanceof MatrixConnectorError && e.code === 'media_too_large');
  assert.ok(!existsSync(path), 'partial file removed');
  await until(() => closedEarly, 'server saw the transfer aborted');
  assert.ok(written < total, `stopped reading early (${written} of ${total} bytes written)`);
  closedEarly = false;
  await assert.rejects(downloadMediaTo(hs, 't', 'mxc://x/declared', path, cap), (e: unknown) => e instanceof MatrixConnectorError && e.code === 'media_too_large' && e.details.size === total);
  await until(() => closedEarly, 'declared-too-large transfer aborted');
  assert.ok(!existsSync(path));
  assert.equal((await downloadMediaTo(hs, 't', 'mxc://x/small', path, cap)).size, 1000);
  assert.deepEqual(readFileSync(path), Buffer.alloc(1000, 7));
});
