// A deleted webhook is not a deleted channel, and /imessage new to someone we
// already mirror continues their channel: one person, one channel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/discord/harness.ts';
import { directChat, imsg, messageEvent } from '../support/discord/fixtures.ts';
import { waitFor } from '../support/discord/botClient.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

test('a deleted webhook (10015) is replaced on the same channel; the portal and agents\' replies there stay', async () => {
  const jane = directChat('+15550001111');
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'one' })));
  const ch = h.discord.channelByName('jane-customer')!.id;
  const [oldHook] = h.discord.deleteWebhooksOf(ch);
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'two' })));
  assert.equal(h.discord.channels().filter((c) => c.name === 'jane-customer').length, 1, 'no second channel');
  assert.deepEqual(h.discord.view(ch).map((m) => m.content), ['one', 'two']);
  const [newHook] = h.discord.webhookIdsOf(ch);
  assert.ok(newHook && newHook !== oldHook);
  const stored = JSON.parse(h.db.prepare("SELECT extra FROM portal WHERE connector = 'discord' AND remote_id = ?").pluck().get(ch) as string) as { webhookId: string };
  assert.equal(stored.webhookId, newHook, 'the new webhook is stored');
  // An agent answering in the (only) channel still reaches iMessage.
  const id = h.discord.post(h.users.alice, ch, 'reply typed in the original channel');
  const r = await waitFor(() => h.core.receipts.find((x) => x.intent.origin?.remoteId === id), 10_000, 'relay');
  assert.equal(r.intent.chatGuid, jane.guid);
  // The next message goes through the stored webhook without another repair.
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'three' })));
  assert.equal(h.discord.webhooksOf(ch), 1);
});

test('a deleted channel (webhook gone with it) is still recreated', async () => {
  const c = directChat('+15550004444');
  await h.connector.deliver(messageEvent(c, imsg(c, { text: 'before' })));
  const old = h.discord.channelByName('15550004444')!.id;
  h.discord.deleteChannel(old);
  await h.connector.deliver(messageEvent(c, imsg(c, { text: 'after' })));
  const fresh = h.discord.channelByName('15550004444')!;
  assert.notEqual(fresh.id, old);
  assert.deepEqual(h.discord.view(fresh.id).map((m) => m.content), ['after']);
});

test('/imessage new to a contact who already has a channel continues it, in the known chat', async () => {
  const joe = directChat('joe@example.com');
  await h.connector.deliver(messageEvent(joe, imsg(joe, { text: 'hi from joe' })));
  const ch = h.discord.channelByName('joe')!.id;
  const before = h.core.receipts.length;
  const i = h.discord.slash(h.users.alice, ch, 'imessage', 'new', { to: 'Joe@Example.com', text: 'Following up' });
  const r = await waitFor(() => h.core.receipts.slice(before).find((x) => x.intent.text === 'Following up'), 10_000, 'send');
  assert.equal(h.discord.channels().filter((c) => c.name === 'joe').length, 1, 'no duplicate channel');
  assert.equal(r.intent.chatGuid, joe.guid, 'sent into the existing conversation');
  assert.ok(h.discord.view(ch).some((m) => m.content === 'Following up' && m.id === r.intent.origin?.remoteId), 'opening line shown in the existing channel');
  await waitFor(() => i.responses.some((x) => String(x.data?.content ?? '').includes(`<#${ch}>`)), 10_000, 'answer points at the channel');
});

test('forum mode: a deleted forum webhook is replaced and posts continue in the same post', async () => {
  const f = await startHarness({ mode: 'forum' });
  try {
    const jane = directChat('+15550001111');
    await f.connector.deliver(messageEvent(jane, imsg(jane, { text: 'first' })));
    const forum = f.discord.channels().find((c) => c.type === 15)!.id;
    const [post] = f.discord.threadsOf(forum);
    f.discord.deleteWebhooksOf(forum);
    await f.connector.deliver(messageEvent(jane, imsg(jane, { text: 'second' })));
    assert.equal(f.discord.threadsOf(forum).length, 1, 'no second post');
    assert.deepEqual(f.discord.view(post!.id).map((m) => m.content).slice(-2), ['first', 'second']);
    assert.equal(f.discord.webhooksOf(forum), 1);
  } finally { await f.close(); }
});
