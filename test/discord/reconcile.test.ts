// Crash recovery (iMessage → Discord): the lane asks reconcile() about a
// delivery that was in flight, and redelivers only when told 'missing'. Whatever
// landed must not be posted twice, and whatever didn't must not be lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { EventEnvelope } from '../../src/core/events.ts';
import { startHarness, type Harness } from '../support/discord/harness.ts';
import { directChat, envelope, groupChat, imsg, messageEvent } from '../support/discord/fixtures.ts';

let h: Harness;
const jane = directChat('+15550001111');
let ch = '';

before(async () => {
  h = await startHarness();
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'hello' })));
  ch = h.discord.channelByName('jane-customer')!.id;
});
after(async () => { await h.close(); });

/** What the delivery lane does with an in-flight delivery after a restart. */
async function recover(env: EventEnvelope): Promise<'delivered' | 'missing'> {
  const verdict = await h.connector.reconcile(env);
  if (verdict === 'missing') await h.connector.deliver(env);
  return verdict;
}

const forgetMap = (guid: string, part?: number) => (part === undefined
  ? h.db.prepare('DELETE FROM message_map WHERE message_guid = ?').run(guid)
  : h.db.prepare('DELETE FROM message_map WHERE message_guid = ? AND part = ?').run(guid, part));

test('a long message cut off by a crash after its first part: the rest is posted, nothing twice', async () => {
  const long = Array.from({ length: 700 }, (_, i) => `w${i}`).join(' ') + ' ' + 'tail '.repeat(600).trim();
  const env = messageEvent(jane, imsg(jane, { text: long }));
  const before = h.discord.view(ch).length;
  // The second part's request fails: the process "dies" with only part 0 posted.
  h.discord.failNext({ method: 'POST', path: /^\/webhooks\//, skip: 1, status: 400, code: 50035, message: 'Invalid Form Body' });
  await assert.rejects(h.connector.deliver(env));
  assert.equal(h.discord.view(ch).length, before + 1);
  assert.equal(await recover(env), 'missing', 'not everything landed');
  const posted = h.discord.view(ch).slice(before);
  assert.ok(posted.length >= 3);
  assert.equal(posted.map((m) => m.content).join(' ').replace(/\s+/g, ' '), long, 'every part exactly once, in order');
});

test('a crash between posting a part and mapping it: reconcile finds it, no repost', async () => {
  const long = 'word '.repeat(900).trim();
  const m = imsg(jane, { text: long });
  const env = messageEvent(jane, m);
  await h.connector.deliver(env);
  const count = h.discord.view(ch).length;
  forgetMap(m.guid, 1002); // the last part's map write was lost
  assert.equal(await recover(env), 'delivered');
  assert.equal(h.discord.view(ch).length, count);
});

test('messages with no text and no files (an app message, a missing attachment) are recognised, not reposted', async () => {
  const app = imsg(jane, { kind: 'app', text: '', balloonBundleId: 'com.apple.messages.MSMessageExtensionBalloonPlugin:0000:com.example.Poll' });
  const missing = imsg(jane, { text: '', attachments: [{ guid: 'att-x', path: null, mimeType: null, uti: null, transferName: 'IMG_1.HEIC', size: 2048, isSticker: false, part: 0 }] });
  for (const m of [app, missing]) {
    const env = messageEvent(jane, m);
    await h.connector.deliver(env);
    const count = h.discord.view(ch).length;
    forgetMap(m.guid);
    assert.equal(await recover(env), 'delivered');
    assert.equal(h.discord.view(ch).length, count);
  }
  assert.equal(h.discord.view(ch).filter((m) => /iMessage app message \(Poll\)/.test(m.content)).length, 1);
});

test('a tapback line and a "not delivered" notice that landed are recognised, not reposted', async () => {
  const group = groupChat('Crew', ['+15550001111', 'joe@example.com']);
  const target = imsg(group, { sender: 'joe@example.com', text: 'group hello' });
  await h.connector.deliver(messageEvent(group, target));
  const gch = h.discord.channelByName('crew')!.id;
  const tap = imsg(group, { kind: 'reaction', sender: '+15550001111', reaction: { type: 'love', emoji: '❤️', targetGuid: target.guid, targetPart: 0, removed: false } });
  const tapEnv = envelope({ type: 'reaction', chat: group, message: tap });
  await h.connector.deliver(tapEnv);
  const mine = { ...imsg(group, { fromMe: true, sender: 'me', text: 'did it arrive?' }) };
  await h.connector.deliver(messageEvent(group, mine));
  const failEnv = envelope({ type: 'delivery', chat: group, message: { ...mine, error: 22, isDelivered: false }, status: 'failed' });
  await h.connector.deliver(failEnv);
  const count = h.discord.view(gch).length;
  forgetMap(tap.guid);
  h.db.prepare('DELETE FROM message_map WHERE message_guid = ? AND part = -1').run(mine.guid);
  assert.equal(await recover(tapEnv), 'delivered');
  assert.equal(await recover(failEnv), 'delivered');
  assert.equal(h.discord.view(gch).length, count);
  assert.equal(h.discord.view(gch).filter((m) => /loved/.test(m.content)).length, 1);
  assert.equal(h.discord.view(gch).filter((m) => /not delivered/.test(m.content)).length, 1);
});

test('a tapback line that never landed is reported missing and posted once', async () => {
  const group = groupChat('Crew Two', ['+15550001111', 'joe@example.com']);
  const target = imsg(group, { sender: 'joe@example.com', text: 'hi' });
  await h.connector.deliver(messageEvent(group, target));
  const tap = imsg(group, { kind: 'reaction', sender: '+15550001111', reaction: { type: 'like', emoji: '👍', targetGuid: target.guid, targetPart: 0, removed: false } });
  assert.equal(await recover(envelope({ type: 'reaction', chat: group, message: tap })), 'missing');
  assert.equal(h.discord.view(h.discord.channelByName('crew-two')!.id).filter((m) => /liked/.test(m.content)).length, 1);
});
