// iMessage → Discord through the real connector, real discord.js and the local
// Discord: what a Discord user sees for each kind of iMessage event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from '../support/discord/harness.ts';
import { directChat, envelope, groupChat, imsg, messageEvent } from '../support/discord/fixtures.ts';
import { ChannelTypes } from '../support/discord/state.ts';

let h: Harness;
const jane = directChat('+15550001111');
let janeChannel = '';

before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

const view = (ch: string) => h.discord.view(ch);

test('a new chat gets a channel in the category, named after the contact, with the number as topic', async () => {
  const m = imsg(jane, { text: 'Hi, my order never came @everyone' });
  await h.connector.deliver(messageEvent(jane, m));
  const ch = h.discord.channelByName('jane-customer');
  assert.ok(ch, 'channel named after the contact');
  janeChannel = ch.id;
  assert.equal(ch.topic, 'iMessage with Jane Customer (+15550001111)');
  const category = h.discord.channel(ch.parent_id ?? '');
  assert.equal(category?.type, ChannelTypes.category);
  assert.equal(category?.name, 'iMessage');
  const [shown] = view(ch.id);
  assert.equal(shown?.username, 'Jane Customer');
  assert.equal(shown?.content, 'Hi, my order never came @everyone');
  assert.ok(shown?.webhookId);
  assert.deepEqual(shown?.allowedMentions, { parse: [] }, 'an iMessage can never ping');
});

test('the webhook is reused and redelivery of the same event posts nothing twice', async () => {
  const m = imsg(jane, { text: 'second message' });
  await h.connector.deliver(messageEvent(jane, m));
  await h.connector.deliver(messageEvent(jane, m));
  assert.equal(view(janeChannel).filter((x) => x.content === 'second message').length, 1);
  assert.equal(h.discord.webhooksOf(janeChannel), 1);
  assert.equal(h.discord.channels().filter((c) => c.type === ChannelTypes.category).length, 1);
});

test('own messages appear as "Me", or as the agent who sent them from elsewhere', async () => {
  await h.connector.deliver(messageEvent(jane, imsg(jane, { fromMe: true, sender: 'me', text: 'typed on my phone' })));
  await h.connector.deliver(messageEvent(jane, imsg(jane, { fromMe: true, sender: 'me', text: 'from matrix' }), { connector: 'matrix', userId: '@zoe:hs', displayName: 'Zoe' }));
  const last = view(janeChannel).slice(-2);
  assert.deepEqual(last.map((x) => [x.username, x.content]), [['Me', 'typed on my phone'], ['Zoe (via matrix)', 'from matrix']]);
});

test('webhook usernames are sanitized to Discord rules', async () => {
  const dan = directChat('+15550002222'); // contact named "Discord Dan"
  await h.connector.deliver(messageEvent(dan, imsg(dan, { text: 'hello from dan' })));
  const ch = h.discord.channels().find((c) => view(c.id).some((x) => x.content === 'hello from dan'));
  const shown = view(ch!.id).find((x) => x.content === 'hello from dan')!;
  assert.doesNotMatch(shown.username, /discord/i);
  assert.match(shown.username, /Dan/);
});

test('a reply quotes and links the original', async () => {
  const original = imsg(jane, { text: 'Where is parcel 42?' });
  await h.connector.deliver(messageEvent(jane, original));
  const originalId = view(janeChannel).at(-1)!.id;
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'any news?', replyTo: { guid: original.guid, part: 0 } })));
  const reply = view(janeChannel).at(-1)!;
  assert.match(reply.content, /^> ↩️ \[Where is parcel 42\?\]\(https:\/\/discord\.com\/channels\/\d+\/\d+\/(\d+)\)\nany news\?$/);
  assert.ok(reply.content.includes(originalId));
});

test('attachments upload; over the limit they become a notice with name and size', async () => {
  const small = join(h.dir, 'receipt.png');
  const big = join(h.dir, 'video.mov');
  writeFileSync(small, Buffer.alloc(1000, 7));
  writeFileSync(big, Buffer.alloc(200 * 1024, 7));
  const att = (path: string, name: string, part: number, size: number) => ({ guid: `att-${part}`, path, mimeType: null, uti: null, transferName: name, size, isSticker: false, part });
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'photos', attachments: [att(small, 'receipt.png', 1, 1000), att(big, 'video.mov', 2, 200 * 1024)] })));
  // Configured limit 25 MB, this Discord's 64 KB: the 40005 answer falls back file by file.
  const [withFile, notice] = view(janeChannel).slice(-2);
  assert.equal(withFile?.content, 'photos');
  assert.deepEqual(withFile?.attachments, [{ filename: 'receipt.png', size: 1000 }]);
  assert.match(notice?.content ?? '', /video\.mov \(200\.0 KB\) is too large for Discord/);
  // With the configured limit known, the notice comes without a failed upload.
  const h2 = await startHarness({ max_upload_bytes: 64 * 1024 });
  try {
    const c = directChat('+15550001111');
    await h2.connector.deliver(messageEvent(c, imsg(c, { text: 'photos', attachments: [att(small, 'receipt.png', 1, 1000), att(big, 'video.mov', 2, 200 * 1024)] })));
    const [one] = h2.discord.view(h2.discord.channelByName('jane-customer')!.id);
    assert.deepEqual(one?.attachments, [{ filename: 'receipt.png', size: 1000 }]);
    assert.match(one?.content ?? '', /^photos\n📎 video\.mov \(200\.0 KB\) is too large for Discord/);
    assert.equal(h2.discord.requests.filter((r) => r.status === 413).length, 0);
  } finally { await h2.close(); }
});

test('text over 2000 characters is split, nothing lost', async () => {
  const long = 'word '.repeat(900).trim();
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: long })));
  const parts = view(janeChannel).slice(-3).filter((x) => x.content.startsWith('word'));
  assert.ok(parts.length >= 3 || parts.reduce((n, p) => n + p.content.length, 0) >= long.length - 5);
  assert.equal(parts.map((p) => p.content).join(' ').replace(/\s+/g, ' '), long);
});

test('a tapback in a 1:1 chat becomes a reaction on the mapped message; in a group, a short line', async () => {
  const target = imsg(jane, { text: 'thanks!' , fromMe: true, sender: 'me' });
  await h.connector.deliver(messageEvent(jane, target));
  const targetId = view(janeChannel).at(-1)!.id;
  const tap = imsg(jane, { kind: 'reaction', reaction: { type: 'love', emoji: '❤️', targetGuid: target.guid, targetPart: 0, removed: false } });
  await h.connector.deliver(envelope({ type: 'reaction', chat: jane, message: tap }));
  assert.deepEqual(view(janeChannel).find((x) => x.id === targetId)?.reactions, { '❤️': [h.discord.botUserId] });

  const group = groupChat('Support Crew', ['+15550001111', 'joe@example.com']);
  const gm = imsg(group, { sender: 'joe@example.com', text: 'group hello' });
  await h.connector.deliver(messageEvent(group, gm));
  const gtap = imsg(group, { kind: 'reaction', sender: '+15550001111', reaction: { type: 'laugh', emoji: '😂', targetGuid: gm.guid, targetPart: 0, removed: false } });
  await h.connector.deliver(envelope({ type: 'reaction', chat: group, message: gtap }));
  const gch = h.discord.channelByName('support-crew')!;
  assert.match(view(gch.id).at(-1)!.content, /^\*Jane Customer laughed at \[a message\]\(https:\/\/discord\.com\/channels\/.+\) 😂\*$/);
});

test('an edit edits the Discord message; an unsend marks it', async () => {
  const m = imsg(jane, { text: 'see you at 5' });
  await h.connector.deliver(messageEvent(jane, m));
  const id = view(janeChannel).at(-1)!.id;
  await h.connector.deliver(envelope({ type: 'edit', chat: jane, message: { ...m, text: 'see you at 6', dateEdited: Date.now(), edits: ['see you at 5'] } }));
  assert.equal(view(janeChannel).find((x) => x.id === id)?.content, 'see you at 6');
  assert.equal(view(janeChannel).find((x) => x.id === id)?.edited, true);
  await h.connector.deliver(envelope({ type: 'unsend', chat: jane, message: { ...m, text: '', unsent: true } }));
  await h.connector.deliver(envelope({ type: 'unsend', chat: jane, message: { ...m, text: '', unsent: true } }));
  assert.equal(view(janeChannel).find((x) => x.id === id)?.content, '~~see you at 6~~ *(unsent)*');
});

test('group events become a system line, and a rename renames the channel', async () => {
  const group = groupChat('Weekend', ['+15550001111', 'joe@example.com']);
  await h.connector.deliver(messageEvent(group, imsg(group, { text: 'plans?' })));
  const ch = h.discord.channelByName('weekend')!;
  assert.match(ch.topic ?? '', /Jane Customer \(\+15550001111\)/);
  const renamed = { ...group, displayName: 'Weekend Trip' };
  await h.connector.deliver(envelope({ type: 'group_event', chat: renamed, message: imsg(renamed, { kind: 'group_event', sender: 'joe@example.com', event: { type: 'renamed', name: 'Weekend Trip', actor: 'joe@example.com' } }) }));
  assert.equal(view(ch.id).at(-1)?.content, '*Joe named the conversation “Weekend Trip”*');
  assert.equal(view(ch.id).at(-1)?.username, 'iMessage');
  assert.equal(h.discord.channel(ch.id)?.name, 'weekend-trip');
});

test('every payload the bridge sent carried allowed_mentions {parse: []}', () => {
  const mine = h.discord.channels().flatMap((c) => view(c.id)).filter((m) => m.webhookId || m.authorId === h.discord.botUserId);
  assert.ok(mine.length > 10);
  for (const m of mine) assert.deepEqual(m.allowedMentions, { parse: [] }, m.content);
});

test('reconcile: a delivery that landed before a crash is found, not resent', async () => {
  const m = imsg(jane, { text: 'landed before the crash' });
  const env = messageEvent(jane, m);
  await h.connector.deliver(env);
  h.db.prepare('DELETE FROM message_map WHERE message_guid = ?').run(m.guid); // the crash hit before the map write
  assert.equal(await h.connector.reconcile(env), 'delivered');
  await h.connector.deliver(env);
  assert.equal(view(janeChannel).filter((x) => x.content === 'landed before the crash').length, 1);
  const never = imsg(jane, { text: 'never sent' });
  assert.equal(await h.connector.reconcile(messageEvent(jane, never)), 'missing');
});

test('chats are only mirrored by rule: the core policy and deliver() respect auto_mirror patterns', async () => {
  const h2 = await startHarness({ auto_mirror: ['+1555000*'], mirrors: ['joe@example.com'] });
  try {
    assert.equal(h2.core.isMirrored('discord', directChat('+15550009999').guid), true);
    assert.equal(h2.core.isMirrored('discord', directChat('+4420000000').guid), false);
    const other = directChat('+4420000000');
    await h2.connector.deliver(messageEvent(other, imsg(other, { text: 'not mirrored' })));
    assert.equal(h2.discord.channels().filter((c) => c.type === ChannelTypes.text).length, 0);
    const joe = directChat('joe@example.com');
    await h2.connector.deliver(messageEvent(joe, imsg(joe, { text: 'listed' })));
    assert.ok(h2.discord.channelByName('joe'));
  } finally { await h2.close(); }
});

test('a confirmed send that came from Discord is not posted again; unsend_action delete removes the message', async () => {
  const before = view(janeChannel).length;
  await h.connector.deliver(messageEvent(jane, imsg(jane, { fromMe: true, sender: 'me', text: 'sent by alice from discord' }), { connector: 'discord', userId: '1', displayName: 'alice' }));
  assert.equal(view(janeChannel).length, before);

  const h2 = await startHarness({ unsend_action: 'delete' });
  try {
    const c = directChat('+15550001111');
    const m = imsg(c, { text: 'oops wrong chat' });
    await h2.connector.deliver(messageEvent(c, m));
    const ch = h2.discord.channelByName('jane-customer')!.id;
    const id = h2.discord.view(ch)[0]!.id;
    await h2.connector.deliver(envelope({ type: 'unsend', chat: c, message: { ...m, text: '', unsent: true } }));
    await h2.connector.deliver(envelope({ type: 'unsend', chat: c, message: { ...m, text: '', unsent: true } }));
    assert.equal(h2.discord.view(ch).length, 0);
    assert.deepEqual(h2.discord.deletedMessages.map((x) => x.id), [id]);
  } finally { await h2.close(); }
});

test('a deleted channel is recreated on the next message, nothing lost', async () => {
  const c = directChat('+15550004444');
  await h.connector.deliver(messageEvent(c, imsg(c, { text: 'before deletion' })));
  const old = h.discord.channelByName('15550004444')!.id;
  h.discord.deleteChannel(old);
  await h.connector.deliver(messageEvent(c, imsg(c, { text: 'after deletion' })));
  const fresh = h.discord.channelByName('15550004444')!;
  assert.notEqual(fresh.id, old);
  assert.deepEqual(view(fresh.id).map((m) => m.content), ['after deletion']);
});
