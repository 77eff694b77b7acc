// test-tier: slow (heavy data or real backoff times: runs in `npm test`, not in the quick unit loop)
// The fast path (src/imessage/typedstream/fastBody.ts) must never change an
// answer: where it answers, the general decoder gives the same text and runs;
// where the general decoder fails, the fast path must have given up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeGeneral } from '../../src/imessage/typedstream/decoder.ts';
import { fastDecodeBody, fastDecodeText } from '../../src/imessage/typedstream/fastBody.ts';
import { decodeAttributedBody, decodeAttributedBodyText, encodeAttributedBody, TypedstreamError, type AttributeRun, type DecodedBody } from '../../src/imessage/typedstream/index.ts';
import { encodeBody, layout, type BodyPart } from '../../src/sim/body.ts';
import { blob, GOOD } from './blobs.ts';
import { KEY } from '../../src/imessage/typedstream/tags.ts';
import { mutate, prng } from './mutate.ts';

function general(buf: Buffer): DecodedBody | TypedstreamError {
  try {
    return decodeGeneral(buf);
  } catch (e) {
    if (e instanceof TypedstreamError) return e;
    throw e;
  }
}

function assertAgrees(buf: Buffer, label: string): boolean {
  const fast = fastDecodeBody(buf);
  // The text-only read answers where and only where the full fast path does, with its text.
  assert.equal(fastDecodeText(buf), fast === null ? null : fast.text, `${label}: text-only fast path`);
  if (fast === null) return false;
  const ref = general(buf);
  assert.ok(!(ref instanceof TypedstreamError), `${label}: fast path answered where the general decoder fails (${String(ref)})`);
  assert.deepStrictEqual(fast, ref, label);
  return true;
}

test('every real blob takes the fast path and agrees with the general decoder', () => {
  for (const g of GOOD) assert.ok(assertAgrees(g.bytes, g.file), `${g.file} takes the fast path`);
  assert.equal(fastDecodeBody(blob('ExtraData')), null, 'a corrupt blob is left to the general decoder');
});

test('encoder output of every attribute kind takes the fast path and agrees', () => {
  const text = 'a\uFFFC héllo 👩‍👩‍👧 link @mention \u05e9\u05dc\u05d5\u05dd';
  const n = text.length;
  const cases: [string, Buffer][] = [
    ['plain', encodeAttributedBody('hello')],
    ['empty', encodeAttributedBody('')],
    ['immutable', encodeAttributedBody('hello', { immutable: true })],
    ['mixed', encodeAttributedBody(text, {
      runs: [
        { start: 0, length: 1, part: 0 },
        { start: 1, length: 1, part: 1, attachmentGuid: 'at_1_X', filename: 'IMG.heic' },
        { start: 2, length: 10, part: 2, bold: true, italic: true, underline: true, strikethrough: true, textEffect: 5 },
        { start: 12, length: 8, part: 2, link: 'https://example.com/a?b=c' },
        { start: 20, length: 9, part: 2, mention: '+15555550123' },
        { start: 29, length: n - 29, part: 3, writingDirection: 1 },
      ],
    })],
  ];
  for (const [label, bytes] of cases) assert.ok(assertAgrees(bytes, label), `${label} takes the fast path`);
});

test('the fast path gives up on what only the general decoder may judge', () => {
  const bad = Buffer.from(blob('AttributedBodyTextOnly'));
  bad[bad.indexOf('Noter')] = 0xff; // invalid UTF-8: the general decoder reports it
  assert.equal(fastDecodeBody(bad), null);
  assert.ok(general(bad) instanceof TypedstreamError);
  // A real U+FFFD is valid text: left to the general decoder, which keeps it.
  const replacement = encodeAttributedBody('a\uFFFDb');
  assert.equal(fastDecodeBody(replacement), null);
  assert.equal((general(replacement) as DecodedBody).text, 'a\uFFFDb');
  // Trailing bytes, truncation, a big-endian stream: all left to the general decoder.
  const ok = blob('AttributedBodyTextOnly');
  assert.equal(fastDecodeBody(Buffer.concat([ok, Buffer.from([0x92])])), null);
  assert.equal(fastDecodeBody(ok.subarray(0, ok.length - 1)), null);
  assert.equal(fastDecodeBody(Buffer.from(ok.toString('latin1').replace('streamtyped', 'typedstream'), 'latin1')), null);
});

test('fuzz: 40000 mutations — wherever the fast path answers, the general decoder agrees', () => {
  const rand = prng(0x5eed_fa57);
  let answered = 0;
  for (let i = 0; i < 40_000; i++) {
    const input = mutate(rand);
    if (assertAgrees(input, `case ${i} (${input.toString('hex')})`)) answered++;
  }
  console.log(`# fast path answered ${answered} of 40000 mutated inputs`);
  assert.ok(answered > 1000, 'harmless mutations still take the fast path');
});

test('the known openings and one-run endings agree at every length form and mismatch', () => {
  const texts = ['', 'x', 'a'.repeat(127), 'b'.repeat(128), 'é'.repeat(200), '👋🏽'.repeat(20_000), '\uFEFFbom'];
  for (const text of texts) {
    for (const immutable of [false, true]) {
      for (const runs of [undefined, [{ start: 0, length: text.length, part: 0, writingDirection: -1 }], [{ start: 0, length: text.length, part: 0, writingDirection: 1 }]]) {
        const bytes = encodeAttributedBody(text, { immutable, ...(runs && { runs }) });
        const label = `${text.length} units, ${immutable ? 'immutable' : 'mutable'}, ${JSON.stringify(runs?.[0]?.writingDirection)}`;
        assert.ok(assertAgrees(bytes, label), `${label} takes the fast path`);
      }
    }
  }
  // A run length that disagrees with the text, in each ending: never answered differently from the general decoder.
  for (const runs of [undefined, [{ start: 0, length: 3, part: 0, writingDirection: -1 }]]) {
    const bytes = Buffer.from(encodeAttributedBody('abc', runs && { runs }));
    const at = bytes.lastIndexOf(Buffer.from('iI', 'latin1')) + 3; // after "iI" and the dictionary index
    assert.equal(bytes[at], 3);
    for (const len of [0, 2, 4, 0x7f]) {
      bytes[at] = len;
      assertAgrees(bytes, `run length ${len}`);
      assert.equal(fastDecodeBody(bytes), null, `run length ${len} is not the fast path's to judge`);
    }
  }
});

test('generated bodies (attachments, links, mentions, styles, every part layout): fast, text-only and general decoders agree', () => {
  const rand = prng(0x7e47_0b0d);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const words = ['hi', 'ok 👍', 'https://example.com/x?y=1', 'héllo wörld', '\u05e9\u05dc\u05d5\u05dd', '👩‍👩‍👧', 'a'.repeat(300), ''];
  let answered = 0;
  for (let i = 0; i < 3000; i++) {
    const parts: BodyPart[] = [];
    const attachments = Math.floor(rand() * 4);
    for (let k = 0; k < attachments; k++) parts.push({ kind: 'attachment', guid: `at_${k}_${i}` });
    if (rand() < 0.8) parts.push({ kind: 'text', text: pick(words) + (rand() < 0.5 ? ` ${i}` : '') });
    if (parts.length === 0) parts.push({ kind: 'text', text: `m${i}` });
    const laid = layout(parts);
    // Decorate some runs with the other attribute kinds the fast path reads.
    const runs: AttributeRun[] = laid.runs.map((r) => ({ ...r }));
    for (const r of runs) {
      if (rand() < 0.2) r.bold = rand() < 0.5;
      if (rand() < 0.1) r.mention = '+15555550123';
      if (rand() < 0.1) r.textEffect = Math.floor(rand() * 12);
      if (rand() < 0.1) r.writingDirection = pick([-1, 0, 1]);
    }
    const blobs = [encodeBody(laid), encodeAttributedBody(laid.text, { runs, immutable: rand() < 0.5 })];
    for (const b of blobs) {
      if (assertAgrees(b, `generated ${i}`)) answered++;
      assert.equal(decodeAttributedBodyText(b), decodeAttributedBody(b).text, `generated ${i}: public text entry point`);
    }
  }
  assert.ok(answered > 5000, `generated bodies take the fast path (${answered} of 6000)`);
});

test('the text-only entry point fails exactly where the full decoder fails, with the same error', () => {
  for (const bad of [blob('ExtraData'), Buffer.from([1, 2, 3]), Buffer.alloc(0)]) {
    const full = (() => { try { decodeAttributedBody(bad); return null; } catch (e) { return e; } })();
    assert.ok(full instanceof TypedstreamError);
    assert.throws(() => decodeAttributedBodyText(bad), (e: unknown) => e instanceof TypedstreamError && e.message === full.message);
  }
});

test('every attribute name with every value kind (names swapped in the bytes): the fast paths agree or give up', () => {
  const text = 'a\uFFFC link @m bold';
  const bytes = encodeAttributedBody(text, {
    runs: [
      { start: 0, length: 1, part: 0, writingDirection: -1 },
      { start: 1, length: 1, part: 1, attachmentGuid: 'at_1_X', filename: 'IMG.heic' },
      { start: 2, length: 5, part: 2, link: 'https://example.com/' },
      { start: 7, length: 3, part: 2, mention: '+15555550123' },
      { start: 10, length: text.length - 10, part: 2, bold: true, italic: true, underline: true, strikethrough: true, textEffect: 5 },
    ],
  });
  const keys = [...Object.values(KEY), 'SomeOtherAttributeName'];
  const withLength = (k: string): Buffer => Buffer.concat([Buffer.from([Buffer.byteLength(k)]), Buffer.from(k)]);
  let swapped = 0;
  for (const from of keys) {
    const at = bytes.indexOf(withLength(from));
    if (at === -1) continue;
    for (const to of keys) {
      if (to === from) continue;
      const a = withLength(from);
      const patched = Buffer.concat([bytes.subarray(0, at), withLength(to), bytes.subarray(at + a.length)]);
      assertAgrees(patched, `${from} → ${to}`);
      swapped++;
    }
  }
  assert.ok(swapped > 80, `${swapped} swaps`);
});
