// The one presentation (src/core/presentation): what the bridge calls a chat
// and a sender, the sentences it writes, and how it cuts and escapes text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseDiscord } from 'discord-markdown-parser';
import { escapeMarkdown } from 'discord.js';
import {
  attachmentLine, attachmentProblemOf, chatTitle, chatTopic, editedText, fateSentence, fallbackLine, groupEventSentence, senderLabel, splitText,
} from '../../src/core/presentation/index.ts';
import { escapeDiscordMarkdown } from '../../src/connectors/discord/markdown.ts';
import { chatGuid } from '../../src/ids.ts';
import type { Chat } from '../../src/imessage/model.ts';

const NAMES: Record<string, string> = { '+15551230001': 'Ann', 'bob@example.com': 'Bob' };
const nameOf = (h: string): string => NAMES[h] ?? h;
const chat = (over: Partial<Chat>): Chat => ({
  rowid: 1, guid: chatGuid('any;-;+15551230001'), service: 'any', identifier: '+15551230001', displayName: null, isGroup: false,
  participants: ['+15551230001'], lastMessageAt: null, ...over,
});

test('chat titles: group name, else the person, else the people, else the identifier', () => {
  assert.equal(chatTitle(chat({}), nameOf), 'Ann');
  assert.equal(chatTitle(chat({ isGroup: true, identifier: 'chat1', participants: ['+15551230001', 'bob@example.com'] }), nameOf), 'Ann, Bob');
  assert.equal(chatTitle(chat({ isGroup: true, identifier: 'chat1', displayName: 'Trip' }), nameOf), 'Trip');
  assert.equal(chatTitle(chat({ isGroup: true, identifier: 'chat1', participants: [] }), nameOf), 'chat1');
});

test('a macOS 26 `any;` chat is never called "(any)"', () => {
  assert.equal(chatTopic(chat({}), nameOf), 'iMessage with Ann (+15551230001)');
  assert.equal(chatTopic(chat({ service: 'SMS' }), nameOf), 'SMS chat with Ann (+15551230001)');
  assert.equal(chatTopic(chat({ isGroup: true, participants: ['+15551230001', '+1999'] }), nameOf), 'Group: Ann (+15551230001), +1999');
  assert.doesNotMatch(chatTopic(chat({}), nameOf), /any/);
});

test('sender labels: the contact, "Me", or who sent it through the bridge', () => {
  assert.equal(senderLabel({ fromMe: false, sender: '+15551230001' }, null, nameOf), 'Ann');
  assert.equal(senderLabel({ fromMe: true, sender: 'me' }, null, nameOf), 'Me');
  const alice = { connector: 'discord', userId: '1', displayName: 'alice' };
  assert.equal(senderLabel({ fromMe: true, sender: 'me' }, alice, nameOf, 'discord'), 'alice');
  assert.equal(senderLabel({ fromMe: true, sender: 'me' }, alice, nameOf, 'matrix'), 'alice (via discord)');
});

test('group events, fallbacks and fates read as sentences', () => {
  assert.equal(groupEventSentence({ type: 'renamed', actor: '+15551230001', name: 'Trip' }, nameOf), 'Ann named the conversation “Trip”');
  assert.equal(groupEventSentence({ type: 'member_added', actor: 'me', handle: 'bob@example.com' }, nameOf), 'You added Bob to the conversation');
  assert.equal(groupEventSentence({ type: 'member_left', handle: '+15551230001' }, nameOf), 'Ann left the conversation');
  assert.equal(groupEventSentence({ type: 'photo_changed' }, nameOf), 'Someone changed the group photo');
  assert.equal(fallbackLine({ kind: 'app', balloonBundleId: 'com.apple.messages.Poll' }), 'sent an iMessage app message (Poll); open Messages to see it');
  assert.equal(fallbackLine({ kind: 'text', balloonBundleId: null }), null);
  assert.equal(fateSentence({ state: 'failed', code: 'e1', reason: 'no network' }), '❌ Not sent to iMessage: no network (e1)');
  assert.match(fateSentence({ state: 'unknown', reason: 'timed out' }) ?? '', /^❓ Messages did not confirm this send: timed out\./);
  assert.equal(fateSentence({ state: 'queued' }), null);
});

test('a missing attachment reads as a sentence, never a raw ENOENT', () => {
  const a = { transferName: 'photo.jpg', path: '/gone/photo.jpg', part: 0, size: 1234 };
  const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
  assert.equal(attachmentLine(a, attachmentProblemOf(enoent)), '📎 photo.jpg (the file is no longer on the Mac)');
  assert.equal(attachmentLine(a, attachmentProblemOf(Object.assign(new Error('x'), { code: 'EACCES' }))), '📎 photo.jpg (the Mac could not read the file)');
  assert.equal(attachmentLine({ ...a, path: null }, 'not_downloaded'), '📎 photo.jpg (not downloaded on the Mac yet)');
  assert.equal(attachmentLine(a, 'too_large', 'Discord'), '📎 photo.jpg (1.2 KB) is too large for Discord; it stays in Messages.');
});

test('the "edit" Messages makes when it unsends shows nothing', () => {
  assert.equal(editedText({ text: 'see you at 6', unsent: false }), 'see you at 6');
  assert.equal(editedText({ text: '', unsent: true }), null);
  assert.equal(editedText({ text: '', unsent: false }), null);
});

test('splitText cuts on grapheme clusters: no flag, family or accent is split', () => {
  const family = '👩‍👩‍👧‍👦'; // 11 UTF-16 units, one grapheme
  const flag = '🇫🇷';
  const accented = 'e\u0301';
  for (const unit of [family, flag, accented, '👍🏽']) {
    for (const limit of [7, 12, 13, 50, 2000]) {
      const text = unit.repeat(Math.ceil((limit * 3) / unit.length) + 1);
      if (unit.length > limit) continue;
      const parts = splitText(text, limit);
      assert.ok(parts.length > 1, `${limit}: split`);
      assert.ok(parts.every((p) => p.length <= limit), `${limit}: within the limit`);
      assert.equal(parts.join(''), text, `${limit}: nothing lost`);
      assert.ok(parts.every((p) => p.length % unit.length === 0), `${JSON.stringify(unit)} @${limit}: cut on a grapheme`);
    }
  }
  // Line, then word, breaks are preferred; the break a cut falls on is dropped.
  assert.deepEqual(splitText('aaaa bbbb\ncccc dddd', 12), ['aaaa bbbb', 'cccc dddd']);
  assert.deepEqual(splitText('aaaa bbbb cccc', 10), ['aaaa bbbb', 'cccc']);
  assert.deepEqual(splitText('short', 10), ['short']);
  assert.deepEqual(splitText('', 10), ['']);
});

/** The text a Discord client shows for `content`, or null when anything renders as formatting. */
function shownPlain(content: string): string | null {
  const out: string[] = [];
  const walk = (nodes: Array<{ type: string; content?: unknown; target?: string }>): boolean => nodes.every((n) => {
    if (n.type === 'text' && typeof n.content === 'string') { out.push(n.content); return true; }
    if ((n.type === 'url' || n.type === 'autolink') && Array.isArray(n.content)) return walk(n.content as never);
    if (n.type === 'br') { out.push('\n'); return true; }
    return false;
  });
  return walk(parseDiscord(content, 'extended') as never) ? out.join('') : null;
}

const NASTY = [
  'price is *2* or **3**', 'snake_case and _italic_ and __underline__', 'spoiler ||the end||', 'code `x` and ```block```',
  '~~struck~~', '> quoted line', 'line\n> second line quoted', '# heading', '## h2', '-# subtext', '[click](https://evil.example)',
  '<@123456789012345678> <#123456789012345678> <:smile:123456789012345678> <t:1700000000:R>', 'back\\slash \\*', 'a * b _ c ~ d | e',
];

test('iMessage text shows in Discord exactly as typed (escapeMarkdown alone is not enough)', () => {
  for (const text of NASTY) {
    assert.equal(shownPlain(escapeDiscordMarkdown(text)), text, JSON.stringify(text));
  }
  // Why not discord.js's escapeMarkdown: quotes, subtext and masked links still render.
  assert.equal(shownPlain(escapeMarkdown('> quoted line')), null);
  assert.equal(shownPlain(escapeMarkdown('-# subtext')), null);
  // Links stay links (an escaped `_` would break them); names with underscores stay readable.
  assert.equal(escapeDiscordMarkdown('see https://example.com/a_b_c'), 'see https://example.com/a_b_c');
  assert.equal(escapeDiscordMarkdown('IMG_0101.MOV'), 'IMG_0101.MOV');
  assert.equal(escapeDiscordMarkdown('1. first\n- second'), '1\\. first\n\\- second');
});
