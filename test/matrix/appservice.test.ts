// Appservice mode against a real Synapse: ghosts per handle, double puppeting,
// and the durable transaction endpoint (ack after persist, replays ignored,
// nothing swallowed across a restart).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSynapse, freePort, type Synapse } from '../support/synapse/synapse.ts';
import { ElementUser } from '../support/synapse/elementUser.ts';
import { openBridgeDb, type BridgeDb } from '../../src/core/db/bridgeDb.ts';
import { ConnectorKits } from '../../src/core/kit/index.ts';
import { chatGuid } from '../../src/ids.ts';
import { matrixSection } from '../../src/config/sections/matrix.ts';
import type { MatrixConfig } from '../../src/config/schema.ts';
import { createMatrixConnector, writeRegistration, type MatrixConnector } from '../../src/connectors/matrix/index.ts';
import { captureLog, chat1, displayName, env, fakeCore, group, message, msg, until } from './helpers.ts';
import { createServer } from 'node:net';

let hs: Synapse;
let dir: string;
let db: BridgeDb;
let cfg: MatrixConfig;
let owner: ElementUser;
let conn: MatrixConnector;
let hsToken = '';
const core = fakeCore();
const logs = captureLog();
const alice = chat1('+15551230001');
let aliceRoom = '';
const ghost = (h: string): string => `@_imessage_${h.replace('+', '=2b')}:localhost`;
const make = (): MatrixConnector => {
  const c = createMatrixConnector(cfg, { kits: new ConnectorKits(db), displayName, status: async () => ({}), log: logs.log, dataDir: dir });
  core.bind(db, c);
  return c;
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mx-as-'));
  const port = await freePort();
  const base = { homeserver_url: 'http://127.0.0.1:1', homeserver_name: 'localhost', mode: 'appservice', owners: ['@owner:localhost'],
    appservice: { port, registration: join(dir, 'registration.yaml') } };
  const reg = writeRegistration(matrixSection.parse(base));
  hsToken = reg.hs_token;
  hs = await startSynapse({ appserviceRegistration: { ...reg } });
  const o = await hs.registerUser('owner');
  owner = new ElementUser(hs.url, o.userId, o.accessToken);
  owner.startSync();
  cfg = matrixSection.parse({ ...base, homeserver_url: hs.url, appservice: { ...base.appservice, double_puppet: { [o.userId]: o.accessToken } } });
  db = openBridgeDb(join(dir, 'bridge.db'));
  conn = make();
  await conn.start(core.handle);
});

after(async () => {
  await conn?.stop();
  await owner?.stop();
  db?.close();
  await hs?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('ghost per handle named "Alice (iMessage)"; the owner is double-puppeted into a direct portal', async () => {
  await conn.deliver(message(alice, msg(alice, { text: 'hello from alice' })));
  const ev = await owner.waitFor((e) => e.content.body === 'hello from alice', 'ghost message');
  aliceRoom = ev.room_id;
  assert.equal(ev.sender, ghost('+15551230001'));
  const members = await owner.members(aliceRoom);
  assert.equal(members[ghost('+15551230001')]?.display_name, 'Alice (iMessage)');
  assert.ok(members[owner.userId], 'owner joined through double puppeting');
  const direct = await owner.api<Record<string, string[]>>('GET', `/_matrix/client/v3/user/${encodeURIComponent(owner.userId)}/account_data/m.direct`);
  assert.deepEqual(direct[ghost('+15551230001')], [aliceRoom]);
});

test('the bridge bot has a display name, and a macOS 26 `any;` chat\'s topic never says "(any)"', async () => {
  assert.equal((await owner.members(aliceRoom))[conn.botUserId!]?.display_name, 'iMessage bridge');
  const bob = { ...chat1('+15551230009'), guid: chatGuid('any;-;+15551230009'), service: 'any' as const };
  await conn.deliver(message(bob, msg(bob, { text: 'hello from a macOS 26 chat' })));
  const ev = await owner.waitFor((e) => e.content.body === 'hello from a macOS 26 chat', 'any; message');
  const topic = await owner.api<{ topic: string }>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(ev.room_id)}/state/m.room.topic/`);
  assert.equal(topic.topic, 'iMessage with +15551230009, bridged by imessage-bridge');
});

test('own messages from the phone appear as the owner (double puppet) and are never relayed back', async () => {
  await conn.deliver(message(alice, msg(alice, { fromMe: true, sender: 'me', text: 'typed on my phone' })));
  const ev = await owner.waitFor((e) => e.content.body === 'typed on my phone', 'puppeted message');
  assert.equal(ev.sender, owner.userId);
  const marker = await owner.send(aliceRoom, { msgtype: 'm.text', body: 'typed in element' });
  await until(() => core.sends.find((s) => s.origin?.remoteId === marker), 'element message relayed');
  assert.ok(!core.sends.some((s) => s.text === 'typed on my phone'), 'the puppeted echo is not sent back to iMessage');
  assert.ok(!core.sends.some((s) => s.text === 'hello from alice'), 'ghost events are not sent back');
});

test('group membership → ghost joins and leaves; rename → room name', async () => {
  const g = group('chat77', ['+15551230001']);
  await conn.deliver(message(g, msg(g, { text: 'group hi' })));
  const first = await owner.waitFor((e) => e.content.body === 'group hi', 'group message');
  const room = first.room_id;
  const add = msg(g, { kind: 'group_event', event: { type: 'member_added', handle: '+15551230002', actor: '+15551230001' } });
  await conn.deliver(env(`group:${add.guid}`, { type: 'group_event', chat: g, message: add }));
  await owner.waitFor((e) => e.room_id === room && e.type === 'm.room.member' && e.state_key === ghost('+15551230002') && e.content.membership === 'join', 'Bob joins');
  const left = msg(g, { kind: 'group_event', sender: '+15551230002', event: { type: 'member_left', handle: '+15551230002' } });
  await conn.deliver(env(`group:${left.guid}`, { type: 'group_event', chat: g, message: left }));
  await owner.waitFor((e) => e.room_id === room && e.type === 'm.room.member' && e.state_key === ghost('+15551230002') && e.content.membership === 'leave', 'Bob leaves');
  const ren = msg(g, { kind: 'group_event', event: { type: 'renamed', name: 'Renamed', actor: '+15551230001' } });
  await conn.deliver(env(`group:${ren.guid}`, { type: 'group_event', chat: g, message: ren }));
  await owner.waitFor((e) => e.room_id === room && e.type === 'm.room.name' && e.content.name === 'Renamed', 'rename');
});

async function putTxn(txnId: string, events: unknown[], token = hsToken): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${conn.appservicePort}/_matrix/app/v1/transactions/${txnId}`, {
    method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ events }),
  });
  await r.arrayBuffer();
  return r.status;
}

test('transaction endpoint: wrong token refused; a replayed txn id is acknowledged and ignored, also after a restart', async () => {
  const ev = (id: string, body: string) => ({ event_id: id, room_id: aliceRoom, type: 'm.room.message', sender: owner.userId, content: { msgtype: 'm.text', body }, origin_server_ts: Date.now() });
  assert.equal(await putTxn('t-auth', [ev('$bad', 'x')], 'wrong-token'), 403);
  assert.equal(await putTxn('t-1', [ev('$e1', 'replay me')]), 200);
  assert.equal(await putTxn('t-1', [ev('$e1b', 'replay me')]), 200);
  await until(() => core.sends.find((s) => s.text === 'replay me'), 'txn event relayed');
  await conn.stop();
  conn = make();
  await conn.start(core.handle);
  assert.equal(await putTxn('t-1', [ev('$e1c', 'replay me')]), 200);
  const marker = await owner.send(aliceRoom, { msgtype: 'm.text', body: 'after replay' });
  await until(() => core.sends.find((s) => s.origin?.remoteId === marker), 'later message');
  assert.equal(core.sends.filter((s) => s.text === 'replay me').length, 1);
});

test('a restart does not swallow transactions sent while the bridge was down', async () => {
  await conn.stop();
  // Stand in for the stopped bridge on its port: a connection that is cut at
  // once is Synapse's delivery attempt failing, the condition to wait for
  // (instead of sleeping and hoping Synapse tried while the bridge was down).
  const attempted = new Promise<void>((resolve) => {
    const down = createServer((socket) => { socket.destroy(); down.close(); resolve(); }).listen(cfg.appservice!.port, cfg.appservice!.bind_address);
  });
  const whileDown = await owner.send(aliceRoom, { msgtype: 'm.text', body: 'sent while the bridge was down' });
  await attempted;
  conn = make();
  await conn.start(core.handle);
  const s = await until(() => core.sends.find((x) => x.origin?.remoteId === whileDown), 'message sent while down', 60_000);
  assert.equal(s.text, 'sent while the bridge was down');
});
