// test-tier: slow (heavy data or real backoff times: runs in `npm test`, not in the quick unit loop)
// Defects found by probing the decoder with hostile and odd input (issue 13):
// each test here failed before its fix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encodingCacheChars, MAX_CACHE_CHARS } from '../../src/imessage/typedstream/encodings.ts';
import { decodeAttributedBody, encodeAttributedBody, tryDecodeAttributedBody, TypedstreamError } from '../../src/imessage/typedstream/index.ts';
import { readBody } from '../../src/imessage/db/text.ts';
import { KEY } from '../../src/imessage/typedstream/tags.ts';

test('a text that starts with U+FEFF and holds a U+FFFD decodes to itself (the BOM is text, not a marker)', () => {
  for (const text of ['\uFEFFhi\uFFFD', '\uFEFF\uFFFD', '\uFEFF\uFEFFa\uFFFDb', 'x\uFEFF\uFFFD']) {
    const body = decodeAttributedBody(encodeAttributedBody(text));
    assert.equal(body.text, text, JSON.stringify(text));
    assert.deepEqual(body.runs, [{ start: 0, length: text.length, part: 0 }]);
  }
  // Through the chat.db body reader too: no fallback warning.
  const read = readBody(encodeAttributedBody('\uFEFFhi\uFFFD'), 'fallback');
  assert.equal(read.warning, null);
  assert.equal(read.text, '\uFEFFhi\uFFFD');
  // Invalid UTF-8 after a BOM is still an error.
  const bad = Buffer.from(encodeAttributedBody('\uFEFFhi!'));
  bad[bad.indexOf('hi!') + 2] = 0xff;
  assert.match((tryDecodeAttributedBody(bad) as TypedstreamError).message, /UTF-8/);
});

/** A stream that is only a header and a new `length`-character type encoding: it parses, then the data runs out. */
function hugeEncodingBlob(length: number, variant: number): Buffer {
  const chars = 'iqsl';
  let tail = '';
  for (let v = variant, k = 0; k < 8; k++, v >>= 2) tail += chars[v & 3];
  const encoding = 'i'.repeat(length - tail.length) + tail;
  const len = Buffer.alloc(5);
  len[0] = 0x82;
  len.writeInt32LE(length, 1);
  return Buffer.concat([Buffer.from('040b73747265616d747970656481e803', 'hex'), Buffer.from([0x84]), len, Buffer.from(encoding, 'latin1')]);
}

test('400 corrupt blobs with 100 kB type encodings do not stay alive in the encoding cache (~360 MB before the byte bound)', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 400; i++) {
    const r = tryDecodeAttributedBody(hugeEncodingBlob(100_000, i));
    assert.ok(r instanceof TypedstreamError, `blob ${i} is corrupt`);
  }
  gc();
  const grownMb = (process.memoryUsage().heapUsed - before) / 1048576;
  assert.ok(encodingCacheChars() <= MAX_CACHE_CHARS, `cache holds ${encodingCacheChars()} characters`);
  assert.ok(grownMb < 40, `heap grew ${grownMb.toFixed(0)} MB`);
  // The ordinary encodings are still cached and decoding still works.
  assert.equal(decodeAttributedBody(encodeAttributedBody('still fine')).text, 'still fine');
});

/** Rename one attribute key in an encoded blob (same byte length, so the stream stays well-formed). */
function renameKey(buf: Buffer, from: string, to: string): Buffer {
  assert.equal(from.length, to.length);
  const out = Buffer.from(buf);
  const at = out.indexOf(from);
  assert.ok(at > 0, `${from} is in the blob`);
  out.write(to, at, 'latin1');
  return out;
}

test('an attribute value of an unexpected type is dropped; the text and the other attributes stay', () => {
  const text = 'bold then mention';
  const blob = encodeAttributedBody(text, {
    runs: [{ start: 0, length: 4, part: 0, bold: true }, { start: 4, length: 13, part: 0, italic: true, link: 'https://example.org/' }],
  });
  // A filename that is an NSNumber, and a mention that is an NSNumber.
  const odd = renameKey(renameKey(blob, KEY.bold, KEY.filename), KEY.italic, KEY.mention);
  const body = tryDecodeAttributedBody(odd);
  assert.ok(!(body instanceof TypedstreamError), `decodes (${String(body)})`);
  assert.equal(body.text, text);
  assert.deepEqual(body.runs, [{ start: 0, length: 4, part: 0 }, { start: 4, length: 13, part: 0, link: 'https://example.org/' }]);
  // And as a chat.db body: the text, no fallback warning.
  assert.deepEqual(readBody(odd, null), { rawText: text, text, warning: null });
});

test('a flag attribute holding a string is dropped, not read as true', () => {
  const blob = encodeAttributedBody('abc', { runs: [{ start: 0, length: 3, part: 0, mention: '+15551234567' }] });
  // __kIMMentionConfirmedMention → __kIMTextItalicAttributeName: an italic flag whose value is an NSString.
  const body = decodeAttributedBody(renameKey(blob, KEY.mention, KEY.italic));
  assert.deepEqual(body.runs, [{ start: 0, length: 3, part: 0 }]);
});
