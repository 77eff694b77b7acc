// The pure parts of the connector: conversions, decisions and rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizeWebhookUsername } from '../../src/connectors/discord/usernames.ts';
import { channelName, chatTopic, groupEventLine, replyPrefix, splitText, tapbackLine } from '../../src/connectors/discord/toDiscord.ts';
import { decide, outboundText, safeFileName, type MessageFacts } from '../../src/connectors/discord/fromDiscord.ts';
import { maySend } from '../../src/connectors/discord/permissions.ts';
import { normalizeHandle } from '../../src/connectors/discord/commands.ts';
import { checkWebhookUsername } from '../support/discord/validate.ts';
import { groupChat } from '../support/discord/fixtures.ts';
import { messageGuid } from '../../src/ids.ts';

test('webhook usernames always pass Discord\'s own check', () => {
  for (const name of ['Discord Support', 'CLYDE', 'clydediscord', 'everyone', 'Here', '', '   ', '\u0000\u200b', 'x'.repeat(200), '👩‍👩‍👧‍👦'.repeat(30), 'Bob @everyone', 'a```b']) {
    const s = sanitizeWebhookUsername(name);
    assert.doesNotThrow(() => checkWebhookUsername(s), `${JSON.stringify(name)} → ${JSON.stringify(s)}`);
    assert.ok(s.length >= 1 && s.length <= 80);
  }
  assert.equal(sanitizeWebhookUsername('Jane Customer'), 'Jane Customer');
  assert.equal(sanitizeWebhookUsername(''), 'iMessage');
});

test('channel names, topics and system lines', () => {
  assert.equal(channelName('Jane Customer'), 'jane-customer');
  assert.equal(channelName('  !!! '), 'chat');
  assert.equal(channelName('Zoë & Café'), 'zoë-café');
  const g = groupChat(null, ['+1555', 'a@b.c']);
  assert.equal(chatTopic(g, (h) => (h === '+1555' ? 'Ann' : h)), 'Group: Ann (+1555), a@b.c');
  assert.equal(groupEventLine({ type: 'member_added', actor: 'me', handle: '+1555' }, () => 'Ann'), '*You added Ann to the conversation*');
  assert.equal(groupEventLine({ type: 'member_left', handle: '+1555' }, () => 'Ann'), '*Ann left the conversation*');
  assert.equal(tapbackLine({ type: 'love', emoji: '❤️', targetGuid: messageGuid('x'), targetPart: 0, removed: true }, 'Ann', null), '*Ann removed a reaction ❤️ from a message*');
  assert.equal(replyPrefix('line one\nline two', 'https://l'), '> ↩️ [line one](https://l)\n');
  assert.equal(replyPrefix('[x]', 'https://l'), '> ↩️ [\\[x\\]](https://l)\n');
});

test('splitText keeps every character and stays within 2000', () => {
  const text = ('😀'.repeat(700) + '\n').repeat(5);
  const parts = splitText(text);
  assert.ok(parts.every((p) => p.length <= 2000));
  assert.equal(parts.join('\n').replace(/\n+/g, ''), text.replace(/\n+/g, ''));
  assert.ok(parts.every((p) => !/[\uD800-\uDBFF]$/.test(p)), 'no broken surrogate pairs');
  assert.deepEqual(splitText(''), ['']);
});

test('decide: loops, notes and relays', () => {
  const base: MessageFacts = { id: '1', authorId: 'u', webhookId: null, type: 0, content: 'hi', place: 'portal' };
  const guard = { botUserId: 'bot', ownWebhookIds: new Set(['wh']), recentlySent: new Set(['9']) };
  assert.deepEqual(decide({ ...base, authorId: 'bot' }, guard, '//'), { kind: 'ignore', reason: 'own_message' });
  assert.deepEqual(decide({ ...base, id: '9' }, guard, '//'), { kind: 'ignore', reason: 'own_message' });
  assert.deepEqual(decide({ ...base, webhookId: 'wh' }, guard, '//'), { kind: 'ignore', reason: 'own_webhook' });
  assert.deepEqual(decide({ ...base, webhookId: 'other' }, guard, '//'), { kind: 'ignore', reason: 'other_webhook' });
  assert.deepEqual(decide({ ...base, type: 7 }, guard, '//'), { kind: 'ignore', reason: 'system' });
  assert.deepEqual(decide({ ...base, content: '  // note' }, guard, '//'), { kind: 'note', reason: 'prefix' });
  assert.deepEqual(decide({ ...base, place: 'thread_of_portal' }, guard, '//'), { kind: 'note', reason: 'thread' });
  assert.deepEqual(decide({ ...base, place: 'elsewhere' }, guard, '//'), { kind: 'ignore', reason: 'not_mirrored' });
  assert.deepEqual(decide({ ...base, type: 19 }, guard, '//'), { kind: 'relay' });
  assert.equal(outboundText('  hi ', 'Alice'), 'hi\n— Alice');
  assert.equal(outboundText('   ', 'Alice'), '');
  assert.equal(safeFileName('../../etc/passwd'), 'passwd');
  assert.equal(safeFileName('..'), 'attachment');
});

test('permissions: nobody by default; users by id or name; roles by id or name', () => {
  const m = { userId: '1', username: 'Alice', roleIds: ['r1'], roleNames: ['Agents'] };
  assert.equal(maySend(m, { allowed_users: [], allowed_roles: [] }), false);
  assert.equal(maySend(m, { allowed_users: ['alice'], allowed_roles: [] }), true);
  assert.equal(maySend(m, { allowed_users: ['1'], allowed_roles: [] }), true);
  assert.equal(maySend(m, { allowed_users: [], allowed_roles: ['agents'] }), true);
  assert.equal(maySend(m, { allowed_users: [], allowed_roles: ['r1'] }), true);
  assert.equal(maySend(m, { allowed_users: ['bob'], allowed_roles: ['admins'] }), false);
});

test('handles for /imessage new', () => {
  assert.equal(normalizeHandle(' +1 (555) 000-1111 '), '+15550001111');
  assert.equal(normalizeHandle('Joe@Example.COM'), 'joe@example.com');
  assert.equal(normalizeHandle('hello'), null);
  assert.equal(normalizeHandle('+1'), null);
});
