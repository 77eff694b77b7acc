// The one mirror policy: entries by guid, handle in any form, glob, /regex/
// and display name; no "maybe"; a pattern never grants a chat it doesn't match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MirrorPolicy, chatFromGuid, chatKey, sameChat, type MirrorRules } from '../../src/core/mirror/index.ts';
import { chatGuid } from '../../src/ids.ts';
import type { Chat } from '../../src/imessage/model.ts';
import type { MirrorSettings } from '../../src/core/connector.ts';
import { makeSim, memoryLog, RecordingConnector, startCore, waitFor } from './support/harness.ts';

const direct = (guid: string): Chat => ({ ...chatFromGuid(guid), identifier: guid.split(';')[2] ?? guid });
const group = (guid: string, name: string | null, participants: string[]): Chat => ({ rowid: 9, guid: chatGuid(guid), service: 'iMessage', identifier: guid.split(';')[2]!, displayName: name, isGroup: true, participants, lastMessageAt: null });
const rules = (mirrors: string[], auto: MirrorRules['auto_mirror'] = 'none'): MirrorRules => ({ mirrors, auto_mirror: auto });
const NAMES: Record<string, string> = { '+447700900123': 'Jane Appleseed' };
const policy = (r: MirrorRules, region = 'US') => new MirrorPolicy(r, { nameOf: (h) => NAMES[h] ?? h, region });

const uk = direct('iMessage;-;+447700900123');

test('chat identity: service prefixes, macOS 26 any;, handle spellings and email case are one chat', () => {
  for (const g of ['SMS;-;+447700900123', 'any;-;+447700900123', 'RCS;-;+447700900123', '+44 7700 900123', '0044 7700 900123', '+44 (7700) 900-123']) {
    assert.ok(sameChat('iMessage;-;+447700900123', g), g);
  }
  assert.equal(chatKey('07700 900123', 'GB'), chatKey('+447700900123'));
  assert.ok(sameChat('iMessage;-;Bob@Example.com', 'any;-;bob@example.COM'));
  assert.ok(sameChat('iMessage;+;chat123', 'any;+;chat123'));
  assert.ok(!sameChat('iMessage;+;chat123', 'iMessage;+;chat124'));
  assert.ok(!sameChat('iMessage;-;+447700900123', 'iMessage;-;+447700900124'));
  assert.ok(!sameChat('iMessage;-;72345', 'iMessage;-;+172345'), 'a short code never matches a number by its tail');
});

test('default is none; all is all', () => {
  assert.equal(policy(rules([])).mirrors(uk), false);
  assert.equal(policy(rules([], 'all')).mirrors(uk), true);
});

test('an entry may be the guid, the handle in any normal form, or the same chat under another service', () => {
  for (const e of ['iMessage;-;+447700900123', 'SMS;-;+447700900123', 'any;-;+447700900123', '+447700900123', '+44 7700 900123', '0044 7700 900123']) {
    assert.equal(policy(rules([e])).mirrors(uk), true, e);
    assert.equal(policy(rules([], [e])).mirrors(uk), true, `auto_mirror ${e}`);
  }
  assert.equal(policy(rules(['07700 900123']), 'GB').mirrors(uk), true, 'national form with the region');
  assert.equal(policy(rules(['+447700900124'])).mirrors(uk), false);
  const mail = direct('any;-;bob@example.com');
  assert.equal(policy(rules(['Bob@Example.COM'])).mirrors(mail), true);
  assert.equal(policy(rules(['iMessage;-;BOB@example.com'])).mirrors(mail), true);
  const sms = direct('SMS;-;+15550001111');
  assert.equal(policy(rules(['iMessage;-;+1 (555) 000-1111'])).mirrors(sms), true);
});

test('globs and /regex/ match guid, identifier, names and handle; a bad regex matches nothing', () => {
  assert.equal(policy(rules([], ['+44*'])).mirrors(uk), true);
  assert.equal(policy(rules([], ['*;-;+447*'])).mirrors(uk), true);
  assert.equal(policy(rules([], ['jane*'])).mirrors(uk), true, 'glob on the contact name, case-insensitive');
  assert.equal(policy(rules([], ['/^\\+44/'])).mirrors(uk), true);
  assert.equal(policy(rules([], ['/apple/i'])).mirrors(uk), true);
  assert.equal(policy(rules([], ['+1*', '/^x$/', '/[/'])).mirrors(uk), false);
  const g = group('iMessage;+;chat555', 'Support Team', ['+15550001111', '+447700900123']);
  assert.equal(policy(rules([], ['Support*'])).mirrors(g), true);
  assert.equal(policy(rules([], ['/team$/i'])).mirrors(g), true);
  assert.equal(policy(rules([], ['+44*'])).mirrors(g), false, 'a handle pattern names 1:1 chats, not every group with that person');
});

test('display names: a group name or a contact name, case-insensitive', () => {
  const g = group('any;+;chat777', 'Family', ['+15550001111']);
  assert.equal(policy(rules(['family'])).mirrors(g), true);
  assert.equal(policy(rules(['iMessage;+;chat777'])).mirrors(g), true, 'group guid under another service');
  assert.equal(policy(rules(['chat777'])).mirrors(g), true, 'group identifier');
  assert.equal(policy(rules(['Jane Appleseed'])).mirrors(uk), true);
  assert.equal(policy(rules(['+15550001111'])).mirrors(g), false, 'a member\'s handle is not the group');
  assert.equal(policy(rules(['Famil'])).mirrors(g), false);
});

class RuleConnector extends RecordingConnector {
  constructor(id: string, readonly mirroring: MirrorSettings) { super(id); }
}

test('the core: a pattern never grants a chat it does not match (connector sends, API mirrored-only, delivery)', async (t) => {
  const { sim, dir } = makeSim(t);
  const jane = sim.addChat({ participants: ['+447700900123'], service: 'SMS' });
  const bob = sim.addChat({ participants: ['bob@example.com'] });
  const c = new RuleConnector('discord', { rules: rules([], ['*@example.com']) });
  const mem = memoryLog();
  const { core, db } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [c], log: mem.log });
  assert.equal(core.isMirrored('discord', jane.guid as never), false);
  assert.equal(core.isMirrored('discord', bob.guid as never), true);
  const api = core.gateway({ kind: 'api', restriction: 'mirrored', allowlist: [] });
  assert.equal(api.isMirrored(jane.guid as never), false, 'send_restriction: mirrored with a pattern present');
  assert.equal(api.isMirrored(bob.guid as never), true);
  assert.equal(api.isMirrored(chatGuid('any;-;BOB@example.com')), true, 'any; and case');
  const from = { connector: 'discord', userId: 'u1', displayName: 'Ann' };
  await assert.rejects(core.handle().send({ chatGuid: jane.guid as never, text: 'hi', from }), /not mirrored/);
  const denied = db.prepare("SELECT chat_guid FROM audit WHERE action = 'denied'").pluck().all();
  assert.deepEqual(denied, [jane.guid]);
  const ok = await core.handle().send({ chatGuid: bob.guid as never, text: 'hi', from });
  assert.equal(ok.fate.state, 'queued');
  const m1 = sim.receive(jane, { from: '+447700900123', text: 'not mirrored' });
  const m2 = sim.receive(bob, { from: 'bob@example.com', text: 'mirrored' });
  await waitFor(() => c.received.some((e) => e.key === `msg:${m2.guid}`), 'bob\'s message');
  assert.ok(!c.received.some((e) => e.key === `msg:${m1.guid}`));
});

test('a chat linked or unlinked by hand wins over the rules, under any of its guids', async (t) => {
  const { sim, dir } = makeSim(t);
  const jane = sim.addChat({ participants: ['+447700900123'] });
  const c = new RuleConnector('discord', { rules: rules([], 'all') });
  const { core } = await startCore(t, { sim, dbPath: join(dir, 'bridge.db'), connectors: [c] });
  const h = core.handle();
  h.setMirrored!('discord', chatGuid('any;-;+447700900123'), false);
  assert.equal(core.isMirrored('discord', jane.guid as never), false);
  h.setMirrored!('discord', chatGuid('SMS;-;+44 7700 900123'), true);
  assert.equal(core.isMirrored('discord', jane.guid as never), true);
});
