// The send checks the core and the CLI call before anything reaches osascript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chatGuidProblem } from '../../src/imessage/send/validate.ts';
import {
  cleanText, MAX_TEXT_BYTES, recipientProblem, SEND_PART_BYTES, splitText, textProblem, textWarnings,
} from '../../src/imessage/send/index.ts';

test('handles in E.164 or email form, known chats, and one-to-one guids of a valid handle pass', () => {
  const known = new Set(['iMessage;+;chat123456789', 'SMS;-;12345']);
  const ctx = { isKnownChat: (g: string) => known.has(g) };
  for (const ok of ['+15551234567', '+447911123456', 'ada@example.org', 'first.last+tag@mail.example.co.uk',
    'iMessage;-;+15551234567', 'any;-;ada@example.org', 'iMessage;+;chat123456789', 'SMS;-;12345']) {
    assert.equal(recipientProblem(ok, ctx), null, ok);
  }
});

test('empty, spaces, a newline, ";;;", 10 kB and a path are refused at once with a clear message', () => {
  const cases: [string, RegExp][] = [
    ['', /the recipient is empty/],
    ['   ', /the recipient is empty/],
    ['+15551234567\n', /is not a phone number, an email address or a chat guid/],
    ['a\nb', /is not a phone number, an email address or a chat guid/],
    [';;;', /is not a phone number, an email address or a chat guid/],
    ['x'.repeat(10 * 1024), /\(10240 characters\) is too long/],
    ['../../etc/passwd', /"\.\.\/\.\.\/etc\/passwd" is not a phone number/],
    ['iMessage;-;../../etc/passwd', /chat guid .* does not name a valid recipient/],
    ['ada@example', /is not a phone number/],
    ['"ada"@example.org', /is not a phone number/],
  ];
  for (const [target, message] of cases) {
    const p = recipientProblem(target);
    assert.ok(p, JSON.stringify(target.slice(0, 20)));
    assert.equal(p.code, 'bad_recipient');
    assert.match(p.message, message);
    assert.match(p.advice, /\+15551234567.*email address.*imessage-bridge chats/);
    assert.ok(p.message.length < 200, 'a long recipient is shortened in the message');
  }
});

test('a local or spaced phone number is refused with the international form as advice', () => {
  for (const n of ['5551234567', '+1 555 123 4567', '(555) 123-4567']) {
    const p = recipientProblem(n);
    assert.equal(p?.code, 'bad_recipient', n);
    assert.match(p!.message, /is not in international form/);
    assert.match(p!.advice, /\+15551234567/);
  }
});

test('a group chat guid must be a chat in chat.db (a group can\'t be created by sending)', () => {
  const p = recipientProblem('iMessage;+;chat999', { isKnownChat: () => false });
  assert.equal(p?.code, 'unknown_chat');
  assert.match(p!.message, /no group chat "iMessage;\+;chat999" in chat\.db/);
  assert.equal(recipientProblem('iMessage;+;chat999'), null, 'without a chat list the shape decides');
});

test('textProblem: empty, spaces only and only-NUL texts are refused; over 1 MiB says to split or send a file', () => {
  assert.equal(textProblem('hello'), null);
  assert.equal(textProblem('x'.repeat(SEND_PART_BYTES * 3)), null, 'long texts are split, not refused');
  assert.equal(textProblem('\0')?.code, 'empty_text');
  assert.equal(textProblem('  \n ')?.code, 'empty_text');
  assert.match(textProblem('')!.message, /the text is empty/);
  const big = textProblem('x'.repeat(MAX_TEXT_BYTES + 1));
  assert.equal(big?.code, 'text_too_long');
  assert.match(big!.advice, /Split it .* or send it as a file/);
});

test('a lone surrogate is reported like NUL, and replaced by U+FFFD on purpose', () => {
  assert.deepEqual(textWarnings('fine 🙂'), []);
  assert.deepEqual(textWarnings('a\0b'), ['NUL characters removed from the text (argv cannot carry them)']);
  const w = textWarnings('hi \uD83D there');
  assert.equal(w.length, 1);
  assert.match(w[0]!, /lone surrogate U\+D83D at character 3 replaced by U\+FFFD/);
  assert.match(textWarnings('\uDE00x')[0]!, /U\+DE00 at character 0/);
  assert.deepEqual(cleanText('a\uD83D\0b🙂\uDE00'), { text: 'a\uFFFDb🙂\uFFFD', strippedNul: true, replacedSurrogates: true });
  assert.deepEqual(cleanText('🙂'), { text: '🙂', strippedNul: false, replacedSurrogates: false });
});

test('splitText cuts at the documented size, at a line or space, never inside a surrogate pair, losing nothing', () => {
  assert.deepEqual(splitText('short'), ['short']);
  const para = `${'word '.repeat(30_000)}\n\n${'more '.repeat(30_000)}`;
  const parts = splitText(para);
  assert.ok(parts.length >= 2);
  assert.equal(parts.join(''), para);
  for (const p of parts) assert.ok(Buffer.byteLength(p) <= SEND_PART_BYTES);
  assert.ok(parts[0]!.endsWith(' ') || parts[0]!.endsWith('\n'), 'cut after a space or a line break');
  const emoji = '🙂'.repeat(60_000); // 240,000 bytes, no spaces
  const e = splitText(emoji, 1000);
  assert.equal(e.join(''), emoji);
  for (const p of e) {
    assert.ok(Buffer.byteLength(p) <= 1000);
    assert.deepEqual(textWarnings(p), [], 'no part starts or ends with half a pair');
  }
  const lines = splitText('aaaa\nbbbb\ncccc', 10);
  assert.deepEqual(lines, ['aaaa\nbbbb\n', 'cccc']);
});

test('the sender\'s own guard checks only the guid\'s shape: short codes and business chats pass, paths and spaces don\'t', () => {
  for (const ok of ['SMS;-;12345', 'iMessage;-;urn:biz:0a1b2c3d-1111-2222-3333-444455556666', 'iMessage;+;chat42', 'any;-;+15551234567']) assert.equal(chatGuidProblem(ok), null, ok);
  for (const bad of ['', '../../etc/passwd', 'iMessage;-;a b', 'iMessage;-;../x', 'iMessage;-;', ';;;', 'iMessage;-;+1\n']) {
    assert.equal(chatGuidProblem(bad)?.code, 'bad_recipient', JSON.stringify(bad));
  }
});
