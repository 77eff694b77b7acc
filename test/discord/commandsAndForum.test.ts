// Slash commands, signatures and forum mode, end to end through discord.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/discord/harness.ts';
import { directChat, imsg, messageEvent } from '../support/discord/fixtures.ts';
import { waitFor } from '../support/discord/botClient.ts';
import { ChannelTypes } from '../support/discord/state.ts';
import type { Interaction } from '../support/discord/types.ts';

let h: Harness;
before(async () => { h = await startHarness({ signature: true }); });
after(async () => { await h.close(); });

const answer = (i: Interaction) => waitFor(() => {
  const last = i.responses.at(-1);
  return last && last.type !== 5 ? String(last.data?.content ?? '') : undefined;
}, 15_000, 'interaction answer');

test('/imessage status shows health and queue depth, ephemerally', async () => {
  await waitFor(() => h.discord.state.commands.length > 0, 10_000, 'commands registered');
  const general = h.discord.createTextChannel('general');
  const i = h.discord.slash(h.users.carol, general, 'imessage', 'status');
  const text = await answer(i);
  assert.match(text, /healthy: true/);
  assert.match(text, /outbox_queue_depth: \d+/);
  assert.equal(i.responses[0]?.data?.flags, 64, 'ephemeral');
});

test('/imessage new starts a chat for allowed roles only, signed "— Alice"', async () => {
  const general = h.discord.createTextChannel('lobby');
  const denied = h.discord.slash(h.users.carol, general, 'imessage', 'new', { to: '+1 555 000 3333', text: 'hi' });
  assert.match(await answer(denied), /aren't allowed/);
  assert.equal(h.core.receipts.length, 0);

  const ok = h.discord.slash(h.users.alice, general, 'imessage', 'new', { to: '+1 (555) 000-3333', text: 'Hello from support' });
  assert.match(await answer(ok), /Started a conversation with \+15550003333 in <#\d+>/);
  const r = h.core.receipts[0]!;
  assert.equal(r.intent.chatGuid, 'any;-;+15550003333');
  assert.equal(r.intent.text, 'Hello from support\n— alice');
  const channel = h.discord.channelByName('15550003333')!;
  const origin = h.discord.view(channel.id).find((m) => m.id === r.intent.origin?.remoteId);
  assert.equal(origin?.username, 'alice');
  await waitFor(() => origin && h.discord.view(channel.id).find((m) => m.id === origin.id)?.reactions['⏳'], 10_000, '⏳ on the opening message');

  const bad = h.discord.slash(h.users.alice, general, 'imessage', 'new', { to: 'not a number', text: 'x' });
  assert.match(await answer(bad), /neither a phone number nor an email/);
});

test('a normal message is signed too when signature is on', async () => {
  const jane = directChat('+15550001111');
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'hi' })));
  const ch = h.discord.channelByName('jane-customer')!.id;
  const id = h.discord.post(h.users.bob, ch, 'On it');
  const r = await waitFor(() => h.core.receipts.find((x) => x.intent.origin?.remoteId === id), 10_000, 'intent');
  assert.equal(r.intent.text, 'On it\n— bob');
});

test('/imessage link ties a channel to a chat, /imessage unlink stops mirroring it', async () => {
  const room = h.discord.createTextChannel('vip-customer');
  const linked = h.discord.slash(h.users.alice, room, 'imessage', 'link', { chat: 'joe@example.com' });
  assert.match(await answer(linked), /Linked this channel to any;-;joe@example.com/);
  const joe = { ...directChat('joe@example.com'), guid: 'any;-;joe@example.com' as never };
  await h.connector.deliver(messageEvent(joe, imsg(joe, { sender: 'joe@example.com', text: 'I am a VIP' })));
  assert.equal(h.discord.view(room).at(-1)?.content, 'I am a VIP');
  const id = h.discord.post(h.users.alice, room, 'Welcome Joe');
  await waitFor(() => h.core.receipts.find((x) => x.intent.origin?.remoteId === id && x.intent.chatGuid === joe.guid), 10_000, 'linked send');

  const again = h.discord.slash(h.users.alice, room, 'imessage', 'link', { chat: '+15550001111' });
  assert.match(await answer(again), /already linked/);
  const unlink = h.discord.slash(h.users.alice, room, 'imessage', 'unlink');
  assert.match(await answer(unlink), /Unlinked any;-;joe@example.com/);
  assert.equal(h.core.isMirrored('discord', joe.guid), false, 'auto-mirror must not recreate an unlinked chat');
  const count = h.discord.view(room).length;
  await h.connector.deliver(messageEvent(joe, imsg(joe, { sender: 'joe@example.com', text: 'still there?' })));
  assert.equal(h.discord.view(room).length, count);
  assert.equal(h.discord.channels().filter((c) => c.name === 'joe').length, 0);
});

test('forum mode: one post per chat, created with thread_name, continued with thread_id', async () => {
  const f = await startHarness({ mode: 'forum', forum_channel_name: 'support-inbox' });
  try {
    const jane = directChat('+15550001111');
    const joe = directChat('joe@example.com');
    await f.connector.deliver(messageEvent(jane, imsg(jane, { text: 'first' })));
    await f.connector.deliver(messageEvent(joe, imsg(joe, { sender: 'joe@example.com', text: 'joe here' })));
    await f.connector.deliver(messageEvent(jane, imsg(jane, { text: 'second' })));
    const forum = f.discord.channelByName('support-inbox')!;
    assert.equal(forum.type, ChannelTypes.forum);
    const posts = f.discord.threadsOf(forum.id);
    assert.deepEqual(posts.map((p) => p.name).sort(), ['Jane Customer', 'Joe']);
    const janePost = posts.find((p) => p.name === 'Jane Customer')!;
    assert.deepEqual(f.discord.view(janePost.id).map((m) => m.content), ['📇 iMessage with Jane Customer (+15550001111)', 'first', 'second']);
    assert.equal(f.discord.webhooksOf(forum.id), 1, 'one webhook for the forum, reused');
    const webhookPosts = f.discord.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/webhooks/'));
    assert.equal(webhookPosts.length, 5);
    // Agents answer inside the post; it reaches the right chat.
    const id = f.discord.post(f.users.alice, janePost.id, 'Answer in the forum');
    const r = await waitFor(() => f.core.receipts.find((x) => x.intent.origin?.remoteId === id), 10_000, 'forum send');
    assert.equal(r.intent.chatGuid, jane.guid);
    const note = f.discord.post(f.users.alice, janePost.id, '// note in the forum');
    await f.connector.idle();
    assert.equal(f.core.receipts.some((x) => x.intent.origin?.remoteId === note), false);
  } finally { await f.close(); }
});
