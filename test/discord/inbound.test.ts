// Discord → iMessage and team support mode, through real discord.js and the
// local Discord, with a fake core recording what would go to the outbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { messageGuid } from '../../src/ids.ts';
import { startHarness, type Harness } from '../support/discord/harness.ts';
import { directChat, imsg, messageEvent } from '../support/discord/fixtures.ts';
import { waitFor } from '../support/discord/botClient.ts';

let h: Harness;
const jane = directChat('+15550001111');
let ch = '';

before(async () => {
  h = await startHarness({ note_prefix: '//', max_outbound_file_bytes: 4096 });
  await h.connector.deliver(messageEvent(jane, imsg(jane, { text: 'Hello, I need help' })));
  ch = h.discord.channelByName('jane-customer')!.id;
});
after(async () => { await h.close(); });

const reactionsOn = (id: string) => h.discord.view(ch).find((m) => m.id === id)?.reactions ?? {};
const repliesTo = (id: string) => h.discord.view(ch).filter((m) => m.replyTo === id);

test('an allowed agent\'s message goes to the outbox with attribution and shows ⏳ then ✅', async () => {
  const id = h.discord.post(h.users.alice, ch, 'Hi Jane, looking into it');
  const r = await waitFor(() => h.core.receipts.find((x) => x.intent.origin?.remoteId === id), 10_000, 'intent');
  assert.equal(r.intent.chatGuid, jane.guid);
  assert.equal(r.intent.text, 'Hi Jane, looking into it');
  assert.deepEqual(r.intent.from, { connector: 'discord', userId: h.users.alice, displayName: 'alice' });
  await waitFor(() => reactionsOn(id)['⏳'], 10_000, '⏳');
  await h.core.settle(r, { state: 'sent', messageGuid: messageGuid('SENT-1') });
  await waitFor(() => reactionsOn(id)['✅'], 10_000, '✅');
  assert.equal(reactionsOn(id)['⏳'], undefined, 'pending marker removed');
});

test('a failed send shows ❌ and a reply with the reason', async () => {
  const id = h.discord.post(h.users.bob, ch, 'this will fail');
  const r = await waitFor(() => h.core.receipts.find((x) => x.intent.origin?.remoteId === id), 10_000, 'intent');
  await h.core.settle(r, { state: 'failed', code: '-1728', reason: 'Messages could not find the chat' });
  await h.core.settle(r, { state: 'failed', code: '-1728', reason: 'Messages could not find the chat' });
  await waitFor(() => reactionsOn(id)['❌'], 10_000, '❌');
  const replies = repliesTo(id);
  assert.equal(replies.length, 1, 'told once');
  assert.match(replies[0]!.content, /❌ Not sent to iMessage: Messages could not find the chat \(-1728\)/);
});

test('someone not allowed is told once, visibly, and nothing is sent', async () => {
  const before = h.core.receipts.length;
  const first = h.discord.post(h.users.carol, ch, 'can I answer?');
  const second = h.discord.post(h.users.carol, ch, 'hello?');
  // idle() only covers messages the gateway already dispatched: under load the
  // second may not have arrived yet, so wait for both denials to be recorded.
  const denials = () => h.db.prepare("SELECT user_id FROM audit WHERE action = 'denied'").pluck().all() as string[];
  await waitFor(() => denials().length >= 2, 10_000, 'both attempts audited');
  await waitFor(() => repliesTo(first).length === 1, 10_000, 'denial notice');
  await h.connector.idle();
  assert.match(repliesTo(first)[0]!.content, new RegExp(`<@${h.users.carol}> .*aren't allowed to send`));
  assert.equal(repliesTo(second).length, 0, 'only once per user and channel');
  assert.equal(h.core.receipts.length, before);
  assert.equal(denials().length, 2);
  assert.ok(denials().every((u) => u === h.users.carol));
});

test('internal notes (prefix or Discord thread) are never sent', async () => {
  const before = h.core.receipts.length;
  h.discord.post(h.users.alice, ch, '// she called yesterday too');
  const thread = h.discord.startThread(h.users.bob, ch, 'discussion');
  h.discord.post(h.users.bob, thread, 'should we refund?');
  const marker = h.discord.post(h.users.alice, ch, 'We will refund you today');
  await waitFor(() => h.core.receipts.find((x) => x.intent.origin?.remoteId === marker), 10_000, 'marker');
  // The thread is its own channel with its own queue: its note may land before or after the prefix note.
  const notes = () => (h.db.prepare("SELECT detail FROM audit WHERE action = 'note'").pluck().all() as string[]).map((d) => (JSON.parse(d) as { note: string }).note).sort();
  await waitFor(() => notes().length >= 2, 10_000, 'both notes audited');
  await h.connector.idle();
  const texts = h.core.receipts.slice(before).map((r) => r.intent.text);
  assert.deepEqual(texts, ['We will refund you today']);
  assert.deepEqual(notes(), ['prefix', 'thread']);
});

test('no loop: the bridge\'s own webhook and bot messages are never relayed back', async () => {
  const before = h.core.receipts.length;
  for (let i = 0; i < 5; i++) await h.connector.deliver(messageEvent(jane, imsg(jane, { text: `customer says ${i}` })));
  const marker = h.discord.post(h.users.alice, ch, 'marker after echoes');
  await waitFor(() => h.core.receipts.find((x) => x.intent.origin?.remoteId === marker), 10_000, 'marker');
  await h.connector.idle();
  assert.deepEqual(h.core.receipts.slice(before).map((r) => r.intent.text), ['marker after echoes']);
  // The bot's own fate replies and denial notices were never relayed either.
  assert.ok(h.core.receipts.every((r) => !/Not sent|aren't allowed/.test(r.intent.text ?? '')));
});

test('attachments are downloaded and sent as files; over the cap, ❌ with the reason', async () => {
  const id = h.discord.post(h.users.alice, ch, '', { files: [{ name: 'label.pdf', data: Buffer.from('PDF-DATA') }, { name: 'huge.bin', data: Buffer.alloc(10_000, 1) }] });
  const r = await waitFor(() => h.core.receipts.find((x) => x.intent.origin?.remoteId === id && x.intent.file), 10_000, 'file intent');
  assert.equal(r.intent.file?.name, 'label.pdf');
  assert.equal(readFileSync(r.intent.file!.path, 'utf8'), 'PDF-DATA');
  await waitFor(() => repliesTo(id).some((m) => /huge\.bin is 10000 bytes, over the 4096-byte limit/.test(m.content)), 10_000, 'too large notice');
  assert.ok(reactionsOn(id)['❌']);
  assert.equal(h.core.receipts.filter((x) => x.intent.origin?.remoteId === id).length, 1);
});

test('editing or deleting an already-sent Discord message says it cannot be applied', async () => {
  const id = h.discord.post(h.users.alice, ch, 'Your refund is 10 EUR');
  await waitFor(() => h.core.receipts.find((x) => x.intent.origin?.remoteId === id), 10_000, 'intent');
  h.discord.edit(h.users.alice, ch, id, 'Your refund is 100 EUR');
  await waitFor(() => repliesTo(id).some((m) => m.content.startsWith('✏️')), 10_000, 'edit notice');
  const sentBefore = h.core.receipts.length;
  h.discord.delete(h.users.alice, ch, id);
  await waitFor(() => h.discord.view(ch).some((m) => m.content.startsWith('🗑️')), 10_000, 'delete notice');
  assert.equal(h.core.receipts.length, sentBefore, 'no edit or delete reaches the outbox');
});

test('a refused send (outbox error) is shown as ❌ with its advice', async () => {
  h.core.refuse = () => Object.assign(new Error('NUL bytes cannot be sent'), { advice: 'Remove the NUL character.' });
  try {
    const id = h.discord.post(h.users.alice, ch, 'bad\u0000text');
    await waitFor(() => repliesTo(id).some((m) => /NUL bytes cannot be sent\. Remove the NUL character\./.test(m.content)), 10_000, 'refusal');
  } finally { h.core.refuse = null; }
});

test('a gateway disconnect resumes and nothing posted meanwhile is lost', async () => {
  h.discord.gateway.drop({ abrupt: true });
  const ids = [1, 2, 3].map((i) => h.discord.post(h.users.alice, ch, `during outage ${i}`));
  await waitFor(() => ids.every((id) => h.core.receipts.some((r) => r.intent.origin?.remoteId === id)), 30_000, 'replayed messages');
  const texts = h.core.receipts.filter((r) => ids.includes(r.intent.origin?.remoteId ?? '')).map((r) => r.intent.text);
  assert.deepEqual(texts, ['during outage 1', 'during outage 2', 'during outage 3']);
  assert.ok(h.discord.gateway.stats.resumes >= 1);
});

test('after a restart (empty caches) edits of earlier messages are still noticed: partials', async () => {
  const id = h.discord.post(h.users.alice, ch, 'sent before the restart');
  await waitFor(() => h.core.receipts.find((x) => x.intent.origin?.remoteId === id), 10_000, 'intent');
  await h.connector.stop();
  await h.connector.start(h.core);
  h.discord.edit(h.users.alice, ch, id, 'edited after the restart');
  await waitFor(() => repliesTo(id).some((m) => m.content.startsWith('✏️')), 15_000, 'edit notice after restart');
  assert.equal(h.discord.webhooksOf(ch), 1, 'the stored webhook is reused after a restart');
});

test('a burst from several agents reaches the outbox in channel order, every one with its fate', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push(h.discord.post(i % 2 ? h.users.alice : h.users.bob, ch, `burst ${i}`));
  await waitFor(() => ids.every((id) => h.core.receipts.some((r) => r.intent.origin?.remoteId === id)), 20_000, 'burst');
  const texts = h.core.receipts.filter((r) => ids.includes(r.intent.origin?.remoteId ?? '')).map((r) => r.intent.text);
  assert.deepEqual(texts, ids.map((_, i) => `burst ${i}`));
  await h.connector.idle();
  assert.ok(ids.every((id) => reactionsOn(id)['⏳']), 'each shows pending');
});
