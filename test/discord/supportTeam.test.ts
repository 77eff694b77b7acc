// The support-team story at the unit tier: three agents (one not allowed to
// send), internal notes mixed in, and a customer who must only ever see
// deliberate replies. The fake core stands for the outbox: its intents are
// exactly what the customer would receive.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { messageGuid } from '../../src/ids.ts';
import { startHarness, type Harness } from '../support/discord/harness.ts';
import { directChat, envelope, imsg, messageEvent } from '../support/discord/fixtures.ts';
import { waitFor } from '../support/discord/botClient.ts';

let h: Harness;
before(async () => { h = await startHarness({ signature: true, mode: 'forum' }); });
after(async () => { await h.close(); });

test('a support inbox answered by a team: the customer sees only deliberate replies', async () => {
  const jane = directChat('+15550001111');
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'My package is late' })));
  const forum = h.discord.channelByName('imessage-inbox')!;
  const post = h.discord.threadsOf(forum.id).find((t) => t.name === 'Jane Customer')!;
  const { alice, bob, carol } = h.users;

  h.discord.post(alice, post.id, '// VIP customer, be generous');
  h.discord.post(carol, post.id, 'Hi Jane, carol here!');
  h.discord.post(bob, post.id, '//checking the warehouse');
  const reply = h.discord.post(alice, post.id, 'Sorry Jane, a refund is on its way');
  h.discord.post(carol, post.id, 'me again');
  const r = await waitFor(() => h.core.receipts.find((x) => x.intent.origin?.remoteId === reply), 10_000, 'reply queued');
  await h.connector.idle();

  // What the customer receives: one reply, signed, attributed to alice.
  assert.deepEqual(h.core.intents.map((i) => i.text), ['Sorry Jane, a refund is on its way\n— alice']);
  assert.equal(h.core.intents[0]?.from.userId, alice);

  await h.core.settle(r, { state: 'sent', messageGuid: messageGuid('SENT-REFUND') });
  // The confirmed row comes back from chat.db attributed to Discord: never posted twice.
  const confirmed = imsg(jane, { guid: messageGuid('SENT-REFUND'), fromMe: true, sender: 'me', text: 'Sorry Jane, a refund is on its way\n— alice' });
  await h.connector.deliver(messageEvent(jane, confirmed, { connector: 'discord', userId: alice, displayName: 'alice' }));
  // The customer loves the reply: the heart lands on alice's Discord message.
  const tap = imsg(jane, { kind: 'reaction', reaction: { type: 'love', emoji: '❤️', targetGuid: messageGuid('SENT-REFUND'), targetPart: 0, removed: false } });
  await h.connector.deliver(envelope({ type: 'reaction', chat: jane, message: tap }));
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'Thank you!' })));

  await waitFor(() => h.discord.view(post.id).find((m) => m.id === reply)?.reactions['✅'], 10_000, '✅');
  const shown = h.discord.view(post.id).map((m) => ({ who: m.username, text: m.content.split('\n')[0], reactions: Object.keys(m.reactions).join('') }));
  const people = shown.filter((s) => s.who !== 'iMessage Bridge');
  assert.deepEqual(people.map((s) => s.who), ['iMessage', 'Jane Customer', 'alice', 'carol', 'bob', 'alice', 'carol', 'Jane Customer']);
  assert.equal(people[5]?.reactions, '✅❤️');
  const botLines = shown.filter((s) => s.who === 'iMessage Bridge');
  assert.equal(botLines.length, 1, 'carol is told once');
  assert.match(botLines[0]?.text ?? '', /aren't allowed to send/);
  assert.equal(shown.at(-1)?.text, 'Thank you!');
  const audit = h.db.prepare('SELECT user_name, action FROM audit ORDER BY id').all();
  assert.deepEqual(audit, [
    { user_name: 'alice', action: 'note' }, { user_name: 'carol', action: 'denied' }, { user_name: 'bob', action: 'note' }, { user_name: 'carol', action: 'denied' },
  ]);
});
