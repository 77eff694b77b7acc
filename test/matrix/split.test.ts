// test-tier: slow (heavy data or real backoff times: runs in `npm test`, not in the quick unit loop)
// Long texts to Matrix: chunks cut by the core's grapheme-safe splitter, each
// event (and each edit of one) well under Matrix's 65,536-byte event limit,
// whatever the text is made of; chunk parts numbered in one place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHUNK_CONTENT_BYTES, editContent, textChunks, textContent } from '../../src/connectors/matrix/render.ts';
import { chunkOfPart, textChunkPart } from '../../src/connectors/matrix/parts.ts';

/** What Matrix counts against its limit: the event JSON in UTF-8 (the envelope comes on top). */
const bytes = (content: Record<string, unknown>): number => Buffer.byteLength(JSON.stringify(content), 'utf8');
const EVENT_LIMIT = 65_536;
/** Room for the envelope Synapse adds (ids, hashes, signatures, prev/auth events). */
const ENVELOPE = 4_000;

/** Whether `at` is a grapheme boundary of `s` (judged on the text around it: Intl.Segmenter is slow on long inputs). */
const isGraphemeBoundary = (s: string, at: number): boolean => {
  const from = Math.max(0, at - 64);
  const ends = new Set<number>([from]);
  for (const { index, segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s.slice(from, at + 64))) ends.add(from + index + segment.length);
  return ends.has(at);
};

/** The chunks, laid back on the text: each where the last ended, skipping only the one break a cut fell on. Returns the cut offsets. */
function layBack(text: string, chunks: string[]): number[] {
  const cuts: number[] = [];
  let at = 0;
  for (const [i, c] of chunks.entries()) {
    if (i > 0 && !text.startsWith(c, at) && (text[at] === ' ' || text[at] === '\n')) at++;
    assert.ok(text.startsWith(c, at), `chunk ${i} continues the text at ${at}`);
    at += c.length;
    cuts.push(at);
  }
  assert.equal(at, text.length, 'nothing lost at the end');
  return cuts;
}

const samples: Record<string, string> = {
  'ascii words': 'lorem ipsum dolor sit amet '.repeat(8_000),
  'emoji families and flags, no spaces': '👩‍👩‍👧‍👦🇫🇷👍🏽e\u0301'.repeat(2_500),
  'html-heavy (quotes, ampersands, brackets, newlines)': '"<&>"\n'.repeat(30_000),
  'links': 'see https://example.com/a?b=1&c="2" and www.example.org/x '.repeat(4_000),
  'control characters': '\u0001\u0002\t'.repeat(30_000),
};

for (const [name, text] of Object.entries(samples)) {
  test(`a long text (${name}) becomes events that each fit, edits included, cut only between graphemes`, () => {
    for (const label of [null, 'Alice "the <boss>" Appleseed']) {
      const chunks = textChunks(text, label);
      assert.ok(chunks.length > 1, 'split');
      const cuts = layBack(text, chunks);
      for (const c of cuts) assert.ok(isGraphemeBoundary(text, c), `cut at ${c} falls between graphemes`);
      for (const c of chunks) {
        const content = textContent(c, label);
        assert.ok(bytes(content) <= CHUNK_CONTENT_BYTES, `content ${bytes(content)} ≤ ${CHUNK_CONTENT_BYTES}`);
        assert.ok(bytes(editContent('$event:server', c, label)) + ENVELOPE <= EVENT_LIMIT, 'its edit fits too');
      }
    }
  });
}

test('a text that fits is one chunk, unchanged; an empty text is one empty chunk', () => {
  assert.deepEqual(textChunks('hello 👋', null), ['hello 👋']);
  assert.deepEqual(textChunks('', null), ['']);
});

test('chunks are not needlessly small: a 200 kB ASCII text takes at most 25 events', () => {
  const chunks = textChunks('x'.repeat(200_000), null);
  assert.ok(chunks.length <= 25, `${chunks.length} chunks`);
});

test('chunk parts: chunk 0 keeps the text part, the others are reversible and clear of attachment parts', () => {
  assert.equal(textChunkPart(0, 0), 0);
  assert.equal(textChunkPart(2, 0), 2);
  for (const textPart of [0, 1, 3]) {
    for (const chunk of [0, 1, 7, 40]) {
      const p = textChunkPart(textPart, chunk);
      assert.deepEqual(chunkOfPart(p), { textPart, chunk });
      if (chunk > 0) assert.ok(p >= 1000);
    }
  }
  assert.deepEqual(chunkOfPart(-1), { textPart: -1, chunk: 0 });
});
