// Bot mode against a real Synapse: one bot account; an Element-like owner
// checks every mirrored event, in both directions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSynapse, type Synapse, type RegisteredUser } from '../support/synapse/synapse.ts';
import { ElementUser, type SeenEvent } from '../support/synapse/elementUser.ts';
import { openBridgeDb, type BridgeDb } from '../../src/core/db/bridgeDb.ts';
import { ConnectorKits } from '../../src/core/kit/index.ts';
import { matrixSection } from '../../src/config/sections/matrix.ts';
import { createMatrixConnector, E2EE_OFF_LINE, type MatrixConnector } from '../../src/connectors/matrix/index.ts';
import { messageGuid, outboxId } from '../../src/ids.ts';
import { captureLog, chat1, displayName, env, fakeCore, group, message, msg, tinyPng, until } from './helpers.ts';

let hs: Synapse;
let dir: string;
let db: BridgeDb;
let botUser: RegisteredUser;
let owner: ElementUser;
let stranger: ElementUser;
let conn: MatrixConnector;
const core = fakeCore();
const logs = captureLog();
const alice = chat1('+15551230001');
let aliceRoom = '';
let cfg: ReturnType<typeof matrixSection.parse>;

before(async () => {
  hs = await startSynapse();
  dir = mkdtempSync(join(tmpdir(), 'mx-bot-'));
  botUser = await hs.registerUser('bridgebot');
  const o = await hs.registerUser('owner');
  const s = await hs.registerUser('mallory');
  owner = new ElementUser(hs.url, o.userId, o.accessToken);
  stranger = new ElementUser(hs.url, s.userId, s.accessToken);
  owner.startSync();
  db = openBridgeDb(join(dir, 'bridge.db'));
  cfg = matrixSection.parse({ homeserver_url: hs.url, homeserver_name: hs.serverName, mode: 'bot', access_token: botUser.accessToken, owners: [o.userId] });
  conn = createMatrixConnector(cfg, { kits: new ConnectorKits(db), displayName, status: async () => ({ chats_mirrored: 1 }), log: logs.log, dataDir: dir });
  core.bind(db, conn);
  await conn.start(core.handle);
});

after(async () => {
  await conn?.stop();
  await owner?.stop();
  db?.close();
  await hs?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const fromBot = (e: SeenEvent): boolean => e.sender === botUser.userId;

test('logs one clear line that E2EE is off', () => {
  assert.equal(logs.lines().filter((l) => l.includes(E2EE_OFF_LINE)).length, 1);
});

test('a first message creates the portal: named, topic, m.bridge, in the Space, direct, unencrypted, owner invited', async () => {
  const m = msg(alice, { text: 'Hi! see https://example.com/x?y=1 now' });
  await conn.deliver(message(alice, m));
  aliceRoom = await owner.waitForInvite((_r, st) => st.some((e) => e.type === 'm.room.name' && e.content.name === 'Alice'), 'portal invite');
  const invite = owner.invites.get(aliceRoom)?.find((e) => e.type === 'm.room.member' && e.state_key === owner.userId);
  assert.equal(invite?.content.is_direct, true, '1:1 portal invite is marked direct');
  await owner.join(aliceRoom);
  const ev = await owner.waitFor((e) => e.room_id === aliceRoom && e.type === 'm.room.message' && fromBot(e) && String(e.content.body).includes('Hi!'), 'first message');
  assert.equal(ev.content.body, 'Alice: Hi! see https://example.com/x?y=1 now');
  assert.match(String(ev.content.formatted_body), /<strong>Alice<\/strong>: Hi! see <a href="https:\/\/example.com\/x\?y=1">https:\/\/example.com\/x\?y=1<\/a> now/);
  const topic = await owner.state<{ topic: string }>(aliceRoom, 'm.room.topic');
  assert.match(topic.topic, /\+15551230001/);
  const bridge = await owner.state<{ protocol: { id: string }; channel: { id: string } }>(aliceRoom, 'm.bridge', `imessage://${alice.guid}`);
  assert.equal(bridge.protocol.id, 'imessage');
  assert.equal(bridge.channel.id, alice.guid);
  await assert.rejects(owner.state(aliceRoom, 'm.room.encryption'), /M_NOT_FOUND/);
  const parent = (await owner.api<Array<{ type: string; state_key: string }>>('GET', `/_matrix/client/v3/rooms/${encodeURIComponent(aliceRoom)}/state`)).find((e) => e.type === 'm.space.parent');
  assert.ok(parent, 'portal points at its Space');
  const spaceRoom = parent.state_key;
  await owner.join(spaceRoom);
  const create = await owner.state<{ type?: string }>(spaceRoom, 'm.room.create');
  assert.equal(create.type, 'm.space');
  const child = await owner.state<{ via: string[] }>(spaceRoom, 'm.space.child', aliceRoom);
  assert.deepEqual(child.via, [hs.serverName]);
});

test('same key twice → one event (idempotent re-delivery)', async () => {
  const m = msg(alice, { text: 'only once' });
  await conn.deliver(message(alice, m));
  await conn.deliver(message(alice, m));
  // Even with the message map forgotten (crash before it was written), the txn id dedupes.
  db.prepare('DELETE FROM message_map WHERE message_guid = ?').run(m.guid);
  await conn.deliver(message(alice, m));
  await owner.waitFor((e) => e.content.body === 'Alice: only once', 'message');
  // Sentinel instead of a sleep: a later message in the same room arrives after any duplicate would have.
  await conn.deliver(message(alice, msg(alice, { text: 'after only once' })));
  await owner.waitFor((e) => e.content.body === 'Alice: after only once', 'the sentinel message');
  assert.equal(owner.events.filter((e) => e.content.body === 'Alice: only once').length, 1);
});

test('attachment → m.image with info; reply → m.in_reply_to; own message clearly marked', async () => {
  const png = join(dir, 'photo.png');
  writeFileSync(png, tinyPng());
  const parent = msg(alice, { text: 'parent' });
  await conn.deliver(message(alice, parent));
  const parentEv = await owner.waitFor((e) => e.content.body === 'Alice: parent', 'parent');
  const m = msg(alice, { text: 'look', replyTo: { guid: parent.guid, part: 0 }, attachments: [{ guid: 'A1', path: png, mimeType: 'image/png', uti: null, transferName: 'photo.png', size: 1, isSticker: false, part: 0 }] });
  await conn.deliver(message(alice, m));
  const img = await owner.waitFor((e) => e.content.msgtype === 'm.image', 'image');
  const info = img.content.info as { mimetype: string; size: number; w: number; h: number };
  assert.deepEqual([info.mimetype, info.size, info.w, info.h], ['image/png', tinyPng().length, 3, 2]);
  assert.equal(img.content.filename, 'photo.png');
  assert.deepEqual((img.content['m.relates_to'] as Record<string, unknown>)['m.in_reply_to'], { event_id: parentEv.event_id });
  assert.deepEqual(await owner.download(String(img.content.url)), tinyPng());
  await owner.waitFor((e) => e.content.body === 'Alice: look', 'caption text part');
  await conn.deliver(message(alice, msg(alice, { fromMe: true, sender: 'me', text: 'from my phone' })));
  await owner.waitFor((e) => e.content.body === 'Me: from my phone', 'own message marked');
});

test('tapbacks → m.reaction; a new one replaces, removal redacts; edits → m.replace; unsend → redaction', async () => {
  const t = msg(alice, { text: 'react to me' });
  await conn.deliver(message(alice, t));
  const target = await owner.waitFor((e) => e.content.body === 'Alice: react to me', 'target');
  const tap = (type: 'love' | 'like', emoji: string, removed = false) => msg(alice, { kind: 'reaction', reaction: { type, emoji, targetGuid: t.guid, targetPart: 0, removed } });
  const love = tap('love', '❤️');
  await conn.deliver(env(`tapback:${love.guid}`, { type: 'reaction', chat: alice, message: love }));
  const r1 = await owner.waitFor((e) => e.type === 'm.reaction' && (e.content['m.relates_to'] as { key: string }).key === '❤️', '❤️');
  assert.deepEqual(r1.content['m.relates_to'], { rel_type: 'm.annotation', event_id: target.event_id, key: '❤️' });
  const like = tap('like', '👍');
  await conn.deliver(env(`tapback:${like.guid}`, { type: 'reaction', chat: alice, message: like }));
  await owner.waitFor((e) => e.type === 'm.room.redaction' && e.redacts === r1.event_id, 'old tapback redacted');
  const r2 = await owner.waitFor((e) => e.type === 'm.reaction' && (e.content['m.relates_to'] as { key: string }).key === '👍', '👍');
  const unlike = tap('like', '👍', true);
  await conn.deliver(env(`tapback:${unlike.guid}`, { type: 'reaction', chat: alice, message: unlike }));
  await owner.waitFor((e) => e.type === 'm.room.redaction' && e.redacts === r2.event_id, 'removed tapback redacted');

  const edited = { ...t, text: 'react to me (edited)', dateEdited: Date.now(), edits: ['react to me'] };
  await conn.deliver(env(`edit:${t.guid}:${edited.dateEdited}`, { type: 'edit', chat: alice, message: edited }));
  const edit = await owner.waitFor((e) => (e.content['m.relates_to'] as { rel_type?: string } | undefined)?.rel_type === 'm.replace', 'edit');
  assert.equal(edit.content.body, '* Alice: react to me (edited)');
  assert.equal((edit.content['m.new_content'] as { body: string }).body, 'Alice: react to me (edited)');
  assert.equal((edit.content['m.relates_to'] as { event_id: string }).event_id, target.event_id);

  await conn.deliver(env(`unsend:${t.guid}`, { type: 'unsend', chat: alice, message: { ...t, unsent: true } }));
  await owner.waitFor((e) => e.type === 'm.room.redaction' && e.redacts === target.event_id, 'unsend redaction');
});

test('group: portal named after the group; rename → room name + notice; membership → notices', async () => {
  const g = group();
  await conn.deliver(message(g, msg(g, { text: 'hello group', sender: '+15551230002' })));
  const room = await owner.waitForInvite((_r, st) => st.some((e) => e.type === 'm.room.name' && e.content.name === 'Weekend plans'), 'group invite');
  const invite = owner.invites.get(room)?.find((e) => e.type === 'm.room.member' && e.state_key === owner.userId);
  assert.notEqual(invite?.content.is_direct, true);
  await owner.join(room);
  await owner.waitFor((e) => e.room_id === room && e.content.body === 'Bob: hello group', 'group text with sender');
  const ren = msg(g, { kind: 'group_event', sender: '+15551230001', event: { type: 'renamed', name: 'Trip', actor: '+15551230001' } });
  await conn.deliver(env(`group:${ren.guid}`, { type: 'group_event', chat: g, message: ren }));
  await owner.waitFor((e) => e.room_id === room && e.type === 'm.room.name' && e.content.name === 'Trip', 'rename');
  await owner.waitFor((e) => e.room_id === room && e.content.msgtype === 'm.notice' && e.content.body === 'Alice named the conversation “Trip”', 'rename notice');
  const add = msg(g, { kind: 'group_event', sender: '+15551230001', event: { type: 'member_added', handle: 'carol@example.com', actor: '+15551230001' } });
  await conn.deliver(env(`group:${add.guid}`, { type: 'group_event', chat: g, message: add }));
  await owner.waitFor((e) => e.room_id === room && e.content.body === 'Alice added Carol to the conversation', 'member notice');
});

test('Matrix → iMessage: text, html → plain, emote, reply fallback stripped, media as a file', async () => {
  const base = core.sends.length;
  const t1 = await owner.send(aliceRoom, { msgtype: 'm.text', body: 'plain hello' });
  await owner.send(aliceRoom, { msgtype: 'm.text', body: '> <@x:y> quoted\n\nreal **bold**', format: 'org.matrix.custom.html', formatted_body: '<mx-reply><blockquote>quoted</blockquote></mx-reply>real <b>bold</b> <a href="https://a.example/">site</a>' });
  await owner.send(aliceRoom, { msgtype: 'm.emote', body: 'waves' });
  const mxc = await owner.upload(tinyPng(), 'image/png', 'pic.png');
  await owner.send(aliceRoom, { msgtype: 'm.image', body: 'pic.png', url: mxc, info: { mimetype: 'image/png' } });
  await until(() => core.sends.length >= base + 4, 'four sends');
  const got = core.sends.slice(base);
  assert.equal(got[0]?.text, 'plain hello');
  assert.equal(got[0]?.chatGuid, alice.guid);
  assert.deepEqual(got[0]?.origin, { connector: 'matrix', remoteId: t1, room: aliceRoom });
  assert.equal(got[0]?.from.userId, owner.userId);
  assert.equal(got[1]?.text, 'real bold site (https://a.example/)');
  assert.equal(got[2]?.text, '* owner waves');
  assert.equal(got[3]?.file?.name, 'pic.png');
  assert.deepEqual(readFileSync(got[3]?.file?.path ?? ''), tinyPng());
});

test('only allowed users, only portal rooms; a stranger is told once; the bot\'s own events never relayed back', async () => {
  const base = core.sends.length;
  await owner.api('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(aliceRoom)}/invite`, { user_id: stranger.userId }).catch(() => undefined);
  // The bot holds invite power; the owner may lack it, so the bot-side invite isn't needed: mallory just tries.
  await stranger.join(aliceRoom).catch(() => undefined);
  const first = await stranger.send(aliceRoom, { msgtype: 'm.text', body: 'let me in' }).catch(() => null);
  const second = await stranger.send(aliceRoom, { msgtype: 'm.text', body: 'hello?' }).catch(() => null);
  if (first && second) {
    const notices = () => owner.events.filter((e) => e.room_id === aliceRoom && /aren't allowed to send/.test(String(e.content.body ?? '')));
    await owner.waitFor((e) => (e.content['m.relates_to'] as Record<string, { event_id: string }> | undefined)?.['m.in_reply_to']?.event_id === first && /aren't allowed to send/.test(String(e.content.body)), 'told once');
    await until(() => (db.prepare("SELECT count(*) FROM audit WHERE action = 'denied' AND user_id = ?").pluck().get(stranger.userId) as number) >= 2, 'both attempts audited');
    assert.equal(notices().length, 1, 'told once, not per message');
  }
  const marker = await owner.send(aliceRoom, { msgtype: 'm.text', body: 'marker after stranger' });
  await until(() => core.sends.some((s) => s.origin?.remoteId === marker), 'marker relayed');
  const after = core.sends.slice(base);
  assert.deepEqual(after.map((s) => s.text), ['marker after stranger']);
  assert.ok(!core.sends.some((s) => s.text?.includes('Alice:')), 'bot events are never relayed');
});

test('fate: ✅ reaction + read receipt when sent, m.notice with the reason on failure', async () => {
  const ok = await owner.send(aliceRoom, { msgtype: 'm.text', body: 'will succeed' });
  const intentOk = await until(() => core.sends.find((s) => s.origin?.remoteId === ok), 'send');
  await conn.reportFate({ id: outboxId('ob-ok'), intent: intentOk, fate: { state: 'sent', messageGuid: messageGuid('SENT-1') } });
  await owner.waitFor((e) => e.type === 'm.reaction' && (e.content['m.relates_to'] as { event_id: string; key: string }).event_id === ok && (e.content['m.relates_to'] as { key: string }).key === '✅', '✅');
  const bad = await owner.send(aliceRoom, { msgtype: 'm.text', body: 'will fail' });
  const intentBad = await until(() => core.sends.find((s) => s.origin?.remoteId === bad), 'send');
  await conn.reportFate({ id: outboxId('ob-bad'), intent: intentBad, fate: { state: 'failed', code: 'not_registered', reason: 'the number is not on iMessage' } });
  const n = await owner.waitFor((e) => e.content.msgtype === 'm.notice' && String(e.content.body).includes('the number is not on iMessage'), 'failure notice');
  assert.equal(((n.content['m.relates_to'] as Record<string, { event_id: string }>)['m.in_reply_to'])?.event_id, bad);
  // A tapback from the phone on the user's own Matrix message now finds it.
  const tb = msg(alice, { kind: 'reaction', reaction: { type: 'laugh', emoji: '😂', targetGuid: messageGuid('SENT-1'), targetPart: 0, removed: false } });
  await conn.deliver(env(`tapback:${tb.guid}`, { type: 'reaction', chat: alice, message: tb }));
  await owner.waitFor((e) => e.type === 'm.reaction' && (e.content['m.relates_to'] as { event_id: string; key: string }).key === '😂' && (e.content['m.relates_to'] as { event_id: string }).event_id === ok, '😂 on own message');
});

test('reactions, edits and redactions made in Matrix get a notice that they can\'t reach iMessage', async () => {
  const base = core.sends.length;
  const target = await owner.send(aliceRoom, { msgtype: 'm.text', body: 'to be changed' });
  await owner.send(aliceRoom, { 'm.relates_to': { rel_type: 'm.annotation', event_id: target, key: '👍' } }, 'm.reaction');
  await owner.send(aliceRoom, { msgtype: 'm.text', body: '* changed', 'm.new_content': { msgtype: 'm.text', body: 'changed' }, 'm.relates_to': { rel_type: 'm.replace', event_id: target } });
  await owner.redact(aliceRoom, target);
  await owner.waitFor((e) => String(e.content.body).startsWith('Reactions made in Matrix can\'t reach iMessage'), 'reaction notice');
  await owner.waitFor((e) => String(e.content.body).startsWith('Edits made in Matrix can\'t reach iMessage'), 'edit notice');
  await owner.waitFor((e) => String(e.content.body).startsWith('Deleting a message in Matrix can\'t unsend it'), 'redaction notice');
  await until(() => core.sends.length > base, 'the original text');
  assert.deepEqual(core.sends.slice(base).map((s) => s.text), ['to be changed']);
});

test('management room: help, status, new; a failing core.send is reported', async () => {
  const room = conn.managementRoom;
  assert.ok(room);
  await owner.join(room);
  await owner.waitFor((e) => e.room_id === room && String(e.content.body).startsWith('iMessage bridge commands'), 'welcome help');
  const h = await owner.send(room, { msgtype: 'm.text', body: '!imessage help' });
  await owner.waitFor((e) => e.room_id === room && (e.content['m.relates_to'] as Record<string, { event_id: string }> | undefined)?.['m.in_reply_to']?.event_id === h && String(e.content.body).includes('!imessage new'), 'help reply');
  await owner.send(room, { msgtype: 'm.text', body: '!imessage status' });
  await owner.waitFor((e) => e.room_id === room && String(e.content.body).includes('chats_mirrored: 1') && String(e.content.body).includes('matrix_mode: bot'), 'status');
  await owner.send(room, { msgtype: 'm.text', body: '!imessage new +1 (555) 123-0009 Hello there' });
  const s = await until(() => core.sends.find((x) => x.text === 'Hello there'), 'new send');
  assert.equal(s.chatGuid, 'any;-;+15551230009');
  await owner.send(room, { msgtype: 'm.text', body: '!imessage new nonsense' });
  await owner.waitFor((e) => e.room_id === room && String(e.content.body).startsWith('Usage: !imessage new'), 'usage');
  core.fail.next = new Error('outbox is full');
  const f = await owner.send(aliceRoom, { msgtype: 'm.text', body: 'cannot queue' });
  await owner.waitFor((e) => (e.content['m.relates_to'] as Record<string, { event_id: string }> | undefined)?.['m.in_reply_to']?.event_id === f && String(e.content.body).includes('outbox is full'), 'queue failure notice');
});

test('bot mode catches up after downtime: 120 messages sent while the bridge was down all reach iMessage, in order', async () => {
  await conn.stop();
  const base = core.sends.length;
  const bodies = Array.from({ length: 120 }, (_, i) => `while down ${i + 1}`);
  for (const body of bodies) await owner.send(aliceRoom, { msgtype: 'm.text', body });
  conn = createMatrixConnector(cfg, { kits: new ConnectorKits(db), displayName, status: async () => ({ chats_mirrored: 1 }), log: logs.log, dataDir: dir });
  core.bind(db, conn);
  await conn.start(core.handle);
  await until(() => core.sends.length >= base + bodies.length, 'all 120 relayed', 90_000);
  const tail = await owner.send(aliceRoom, { msgtype: 'm.text', body: 'after catch-up' });
  await until(() => core.sends.some((s) => s.origin?.remoteId === tail), 'live again');
  // Exactly the missed messages, oldest first, nothing from before the downtime replayed.
  assert.deepEqual(core.sends.slice(base).map((s) => s.text), [...bodies, 'after catch-up']);
});
