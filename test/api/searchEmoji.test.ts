// What the search index stores for a message's text (src/api/search/emoji.ts):
// plain text, the common case, is stored as it is; emoji runs become tokens of
// their own; the index's own mark never survives from the message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMOJI_MARK, splitEmojiForIndex } from '../../src/api/search/emoji.ts';

const M = EMOJI_MARK;

test('plain ASCII text is indexed unchanged, every character of it', () => {
  const ascii = Array.from({ length: 0x7e }, (_, i) => String.fromCharCode(i + 2)).join('');
  assert.equal(splitEmojiForIndex(ascii), ascii);
  assert.equal(splitEmojiForIndex('see you at 7, ok? #1 (c) 100%'), 'see you at 7, ok? #1 (c) 100%');
});

test('emoji runs, modifiers and the mark itself are handled outside ASCII and at its edges', () => {
  assert.equal(splitEmojiForIndex('summit🧗‍♀️ascent'), `summit${M}🧗‍♀️${M}ascent`);
  assert.equal(splitEmojiForIndex('wave👋🏽hello'), `wave${M}👋🏽${M}hello`);
  assert.equal(splitEmojiForIndex('café ©'), `café ${M}©${M}`);
  // A message that contains the mark (a foreign tool's text) loses it, so it cannot fake a token boundary.
  assert.equal(splitEmojiForIndex(`a${M}b`), 'ab');
  assert.equal(splitEmojiForIndex(`a\u0000b`), 'a\u0000b');
});
