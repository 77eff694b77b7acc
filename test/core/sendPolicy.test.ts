// The core's send policy, through the core's public surface (BridgeCore.send,
// the connector handle, the API gateway): one decision for every origin,
// refusals audited in one place and told once, one outbox entry per origin,
// each fate stage shown once, owned files deleted at the final fate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Refusal, SendPermissions } from '../../src/core/connector.ts';
import { SendRefusedError } from '../../src/core/errors.ts';
import type { SendIntent, SendReceipt } from '../../src/core/events.ts';
import type { MirrorRules } from '../../src/core/mirror/index.ts';
import { OPERATOR_SCOPE } from '../../src/core/send/policy.ts';
import { chatGuid } from '../../src/ids.ts';
import { makeSim, RecordingFateConnector, startCore, tempDir, waitFor } from './support/harness.ts';
import { simSender } from './support/simSender.ts';

/** A connector as Discord and Matrix are: mirror rules, an allow list, fate reports and refusal notices. */
class PolicyConnector extends RecordingFateConnector {
  readonly told: Refusal[] = [];
  constructor(id: string, readonly mirroring: { rules: MirrorRules }, readonly sendPermissions: SendPermissions) { super(id); }
  async tellRefused(r: Refusal): Promise<void> { this.told.push(r); }
}

const rules = (mirrors: string[], auto: MirrorRules['auto_mirror'] = 'none'): MirrorRules => ({ mirrors, auto_mirror: auto });
const ann = { connector: 'team', userId: 'u-ann', displayName: 'Ann' };
const eve = { connector: 'team', userId: 'u-eve', displayName: 'Eve' };
const refused = (code: string) => (e: unknown): boolean => e instanceof SendRefusedError && e.code === code;

test('a connector user: only mirrored chats, only allowed people (by id, other name or role); refusals audited, told once per chat', async (t) => {
  const { sim, dir } = makeSim(t);
  const jane = sim.addChat({ participants: ['+447700900123'] });
  const bob = sim.addChat({ participants: ['bob@example.com'] });
  const team = new PolicyConnector('team', { rules: rules(['07700 900123']) }, { users: ['u-ann', 'dana'], roles: ['Agents'] });
  const { core, db } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [team], sender: simSender(sim), region: 'GB' });
  const h = core.handle();
  let n = 0;
  const say = (from: typeof ann, chat: string, extra: Partial<SendIntent> = {}): Promise<SendReceipt> =>
    h.send({ chatGuid: chatGuid(chat), text: `hi ${++n}`, from, origin: { connector: 'team', remoteId: `m${n}`, room: 'room-1' }, ...extra });

  assert.equal((await say(ann, jane.guid)).fate.state, 'queued', 'allowed by id, in a chat mirrored by its national number');
  assert.equal((await say({ ...eve, userId: 'u-dana' }, jane.guid, { facts: { aliases: ['Dana'] } })).fate.state, 'queued', 'allowed by another name');
  assert.equal((await say(eve, jane.guid, { facts: { roles: ['r1', 'agents'] } })).fate.state, 'queued', 'allowed by role name, any case');
  await assert.rejects(say(ann, bob.guid), refused('not_mirrored'), 'an allowed person, a chat not mirrored');
  await assert.rejects(say(eve, jane.guid), refused('not_allowed'));
  await assert.rejects(say(eve, `any;-;+447700900123`), refused('not_allowed'), 'the same chat under its macOS 26 guid');
  await assert.rejects(say(eve, jane.guid, { facts: { roles: ['visitors'] } }), refused('not_allowed'));

  const denied = db.prepare("SELECT user_id, chat_guid, result FROM audit WHERE action = 'denied' ORDER BY id").all() as { user_id: string; result: string }[];
  assert.deepEqual(denied.map((d) => [d.user_id, d.result]), [['u-ann', 'refused: not_mirrored'], ['u-eve', 'refused: not_allowed'], ['u-eve', 'refused: not_allowed'], ['u-eve', 'refused: not_allowed']]);
  await waitFor(() => team.told.length === 2, 'the refused senders told');
  assert.deepEqual(team.told.map((r) => [r.from.userId, r.error.code, r.origin?.room]), [['u-ann', 'not_mirrored', 'room-1'], ['u-eve', 'not_allowed', 'room-1']], 'once per person and chat, whatever its guid');
  assert.equal(db.prepare('SELECT count(*) FROM outbox').pluck().get(), 3, 'nothing refused was queued');
});

test('the API: send_restriction mirrored with patterns present never opens a chat the patterns miss; allowlist by recipients; the operator may send anywhere', async (t) => {
  const { sim, dir } = makeSim(t);
  const jane = sim.addChat({ participants: ['+447700900123'], service: 'SMS' });
  const bob = sim.addChat({ participants: ['bob@example.com'] });
  const group = sim.addChat({ participants: ['bob@example.com', '+15551230002'], displayName: 'Ops', group: true });
  const team = new PolicyConnector('team', { rules: rules(['/^nobody$/', 'no-such-*'], ['*@example.com', '/zzz/']) }, { users: [], roles: [] });
  const { core, db } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [team], sender: simSender(sim) });
  const token = { connector: 'api', userId: 'tok1', displayName: 'ci' };
  const mirrored = core.gateway({ kind: 'api', restriction: 'mirrored', allowlist: [] });
  for (const target of [jane.guid, 'iMessage;-;+15559990000', '+15559990000', 'any;-;+447700900123']) {
    await assert.rejects(mirrored.send({ chatGuid: chatGuid(target), text: 'x', from: token }), refused('not_mirrored'), target);
  }
  assert.equal((await mirrored.send({ chatGuid: chatGuid(bob.guid), text: 'x', from: token })).fate.state, 'queued', 'a chat a pattern does match');
  assert.throws(() => mirrored.check({ chatGuid: chatGuid(jane.guid), from: token }), refused('not_mirrored'), 'a scheduled send is checked the same way');

  const listed = core.gateway({ kind: 'api', restriction: 'allowlist', allowlist: ['Bob@Example.com', '+1 (555) 123-0002'] });
  assert.equal((await listed.send({ chatGuid: chatGuid(group.guid), text: 'x', from: token })).fate.state, 'queued', 'every recipient listed, in any form');
  await assert.rejects(listed.send({ chatGuid: chatGuid(jane.guid), text: 'x', from: token }), refused('not_allowed'));
  assert.equal((await core.send({ chatGuid: chatGuid(jane.guid), text: 'x', from: { connector: 'cli', userId: 'me', displayName: 'me' } }, OPERATOR_SCOPE)).fate.state, 'queued');
  assert.equal(db.prepare("SELECT count(*) FROM audit WHERE action = 'denied' AND connector = 'api'").pluck().get(), 6, 'four sends, one check, one outside the allowlist');
  assert.equal(team.told.length, 0, 'API refusals are answered over HTTP, not told on a connector');
});

test('bad recipients are refused at once with a clear reason, before any policy or queue', async (t) => {
  const { sim, dir } = makeSim(t);
  const jane = sim.addChat({ participants: ['+15551230001'] });
  const { core, db } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), sender: simSender(sim) });
  const send = (to: string) => core.send({ chatGuid: chatGuid(to), text: 'x', from: { connector: 'cli', userId: 'me', displayName: 'me' } }, OPERATOR_SCOPE);
  // The rule is the sender's (src/imessage/send/validate.ts); the core applies it to every origin.
  // The rule is the sender's (src/imessage/send/validate.ts); the core applies it to every origin.
  const cases: Array<[string, RegExp]> = [
    ['', /empty/], ['   ', /empty/], ['+1555 123 0001', /not in international form/], ['+15551230001\n', /not a phone number/],
    [';;;', /not a phone number/], ['x'.repeat(10_000), /too long/], ['../../etc/passwd', /not a phone number/],
    ['iMessage;-;../../etc/passwd', /does not name a valid recipient/], ['iMessage;+;chat999999', /no group chat/], ['Telegram;-;+15551230001', /not a phone number/],
    ['hello', /not a phone number/],
  ];
  for (const [to, reason] of cases) {
    await assert.rejects(send(to), (e: unknown) => e instanceof SendRefusedError && e.code === 'bad_recipient' && reason.test(e.message) && e.message.length < 200 && e.advice.length > 0, JSON.stringify(to.slice(0, 20)));
  }
  assert.equal(db.prepare('SELECT count(*) FROM outbox').pluck().get(), 0, 'nothing queued');
  for (const ok of [jane.guid, '+15551230001', 'SMS;-;+15551230001', 'any;-;Bob@Example.com', 'carol@example.com']) {
    assert.equal((await send(ok)).fate.state, 'queued', ok);
  }
  const bare = await send('+15551230001');
  assert.equal(bare.intent.chatGuid, jane.guid, 'a bare handle names the chat Messages already has');
});

test('text argv cannot carry: a lone surrogate is sent as U+FFFD, the confirming row still matches, and the change is reported', async (t) => {
  const { sim, dir } = makeSim(t);
  const jane = sim.addChat({ participants: ['+15551230001'] });
  const a = new PolicyConnector('a', { rules: rules([], 'all') }, { users: ['u-ann'], roles: [] });
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a], sender: simSender(sim) });
  const fates: SendReceipt[] = [];
  core.onFate((r) => fates.push(r));
  const r = await a.core!.send({ chatGuid: chatGuid(jane.guid), text: 'half \uD83D an emoji', from: { ...ann, connector: 'a' }, origin: { connector: 'a', remoteId: 'x1' } });
  assert.match(r.warnings?.[0] ?? '', /lone surrogate U\+D83D/, 'the caller is told what changes');
  await waitFor(() => fates.some((f) => f.id === r.id && f.fate.state === 'sent'), 'confirmed by its row (stored with U+FFFD)');
});

test('idempotent by origin: the same remote message (each part) is queued once, whatever retries or restarts hand in', async (t) => {
  const { sim, dir } = makeSim(t);
  const jane = sim.addChat({ participants: ['+15551230001'] });
  const a = new PolicyConnector('a', { rules: rules([], 'all') }, { users: ['u-ann'], roles: [] });
  const dbPath = join(dir, 'bridge.db');
  const run1 = await startCore(t, { sim, dbPath, connectors: [a], sender: simSender(sim) });
  const base = { chatGuid: chatGuid(jane.guid), from: { ...ann, connector: 'a' } };
  const first = await a.core!.send({ ...base, text: 'hello', origin: { connector: 'a', remoteId: 'msg-1' } });
  const file = await a.core!.send({ ...base, file: { path: join(dir, 'f.txt'), name: 'f.txt' }, origin: { connector: 'a', remoteId: 'msg-1', part: 1 } });
  const again = await a.core!.send({ ...base, text: 'hello', origin: { connector: 'a', remoteId: 'msg-1' } });
  assert.equal(again.id, first.id);
  assert.equal(again.already, true);
  assert.notEqual(file.id, first.id, 'another part of the same message is its own send');
  await run1.stop();
  const b = new PolicyConnector('a', { rules: rules([], 'all') }, { users: [], roles: [] });
  const run2 = await startCore(t, { sim, dbPath, connectors: [b], sender: simSender(sim) });
  const afterRestart = await b.core!.send({ ...base, text: 'hello', origin: { connector: 'a', remoteId: 'msg-1' } });
  assert.equal(afterRestart.id, first.id, 'the ledger is durable, and a prior send needs no new permission');
  assert.deepEqual(b.core!.sentFrom({ connector: 'a', remoteId: 'msg-1' }).map((r) => r.id), [first.id, file.id]);
  assert.equal(run2.db.prepare("SELECT count(*) FROM outbox WHERE origin_remote_id = 'msg-1'").pluck().get(), 2);
});

test('each fate stage reaches the origin once (a retry is not news); an owned file is deleted at the final fate, or when refused', async (t) => {
  const { sim, dir } = makeSim(t);
  const jane = sim.addChat({ participants: ['+15551230001'] });
  const other = sim.addChat({ participants: ['+15551230009'] });
  const a = new PolicyConnector('a', { rules: rules([jane.guid]) }, { users: ['u-ann'], roles: [] });
  const sender = simSender(sim);
  let failures = 1;
  const flaky = { ...sender, async send(req: Parameters<typeof sender.send>[0]) {
    if (failures-- > 0) return { ok: false as const, error: Object.assign(new Error('Messages is not running'), { code: 'not_running', advice: 'Open Messages.', retryable: true, osaNumber: null }) as never };
    return sender.send(req);
  } };
  const files = tempDir(t, 'owned-');
  const owned = (name: string): { path: string; name: string; owned: true } => { mkdirSync(join(files, name)); const p = join(files, name, 'f.txt'); writeFileSync(p, 'x'); return { path: p, name: 'f.txt', owned: true }; };
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [a], sender: flaky, delivery: { retryBaseMs: 20, retryMaxMs: 50 } });
  (core.outbox as unknown as { o: { retryDelayMs: number } }).o.retryDelayMs = 50;
  const r = await a.core!.send({ chatGuid: chatGuid(jane.guid), text: 'with a file', file: owned('one'), from: { ...ann, connector: 'a' }, origin: { connector: 'a', remoteId: 'f1' } });
  await waitFor(() => a.fates.some((f) => f.id === r.id && f.fate.state === 'sent'), 'sent after one retry');
  assert.deepEqual(a.fates.filter((f) => f.id === r.id).map((f) => f.fate.state), ['queued', 'sent'], 'pending once, then the final fate');
  await waitFor(() => !existsSync(join(files, 'one')), 'the owned file and its folder deleted');
  const refusedFile = owned('two');
  await assert.rejects(a.core!.send({ chatGuid: chatGuid(other.guid), file: refusedFile, from: { ...ann, connector: 'a' }, origin: { connector: 'a', remoteId: 'f2' } }), refused('not_mirrored'));
  assert.equal(existsSync(refusedFile.path), false, 'a refused send leaves no file behind');
});
