import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AttributedBodyEncodeError, decodeAttributedBody, encodeAttributedBody, type AttributeRun } from '../../src/imessage/typedstream/index.ts';
import { blob, GOOD } from './blobs.ts';
import { nodeDecode, withInt32Fix } from './nodeTypedstream.ts';
import { structureOf } from './structure.ts';

const HUNDRED_KB = Array.from({ length: 4000 }, (_, i) => `line ${i} é👍🏽 שלום\n`).join('').slice(0, 100_000);

const TEXTS: Record<string, string> = {
  ascii: 'Noter test',
  emoji: 'Good 👍🏽 morning 😀🎉',
  nonBmp: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎𠜱 🀄',
  zwj: 'family 👩‍👩‍👧‍👦 and 🏳️‍🌈 and 🧑🏽‍💻',
  combining: 'e\u0301te\u0301 n\u0303 Z\u0324\u0354\u0367\u0311',
  rtl: 'שלום עולם — مرحبا بالعالم 123',
  newlines: 'a\r\nb\rc\nd\n',
  separators: 'x\u2028y\u2029z',
  empty: '',
  nul: 'before\u0000after',
  hundredKB: HUNDRED_KB,
};

test('encoding "Noter test" gives exactly the bytes Messages wrote (AttributedBodyTextOnly)', () => {
  assert.deepEqual(encodeAttributedBody('Noter test'), blob('AttributedBodyTextOnly'));
});

test('every text round-trips through our decoder with its default run', () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    const body = decodeAttributedBody(encodeAttributedBody(text));
    assert.equal(body.text, text, name);
    assert.deepEqual(body.runs, text.length ? [{ start: 0, length: text.length, part: 0 }] : [], name);
  }
  assert.ok(Buffer.byteLength(HUNDRED_KB) > 100_000);
});

test('every text is read identically by node-typedstream', () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    const bytes = encodeAttributedBody(text);
    const read = Buffer.byteLength(text) > 32_767 ? withInt32Fix(() => nodeDecode(bytes)) : nodeDecode(bytes);
    assert.equal(read.string, text, name);
    assert.deepEqual(read.runs.map((r) => r.range), text.length ? [[0, text.length]] : [], name);
  }
  // The unpatched library fails on any string above 32,767 bytes (its bug, not ours: see nodeTypedstream.ts).
  assert.throws(() => nodeDecode(encodeAttributedBody(HUNDRED_KB)));
});

test('attachments, links, mentions and formatting survive both decoders', () => {
  const segments: [string, Omit<AttributeRun, 'start' | 'length'>][] = [
    ['\uFFFC', { part: 0, attachmentGuid: 'at_0_AAAA-1111', filename: 'IMG_0001.HEIC' }],
    ['Look 👩‍👩‍👧 at ', { part: 1, bold: true }],
    ['https://example.com/a?b=1', { part: 1, link: 'https://example.com/a?b=1' }],
    [' with ', { part: 1 }],
    ['Dad', { part: 1, mention: 'dad@example.com', underline: true }],
    ['\uFFFC', { part: 2, attachmentGuid: 'at_2_AAAA-1111' }],
  ];
  const text = segments.map(([s]) => s).join('');
  let at = 0;
  const runs: AttributeRun[] = segments.map(([s, attrs]) => ({ start: (at += s.length) - s.length, length: s.length, ...attrs }));
  const bytes = encodeAttributedBody(text, { runs });
  assert.deepEqual(decodeAttributedBody(bytes), { text, runs });
  const node = nodeDecode(bytes);
  assert.equal(node.string, text);
  assert.deepEqual(node.runs.map((r) => r.range), runs.map((r) => [r.start, r.length]));
  assert.equal(node.runs[0]!.attributes.__kIMFileTransferGUIDAttributeName, 'at_0_AAAA-1111');
  assert.equal(node.runs[4]!.attributes.__kIMMentionConfirmedMention, 'dad@example.com');
  assert.deepEqual(node.runs.map((r) => r.attributes.__kIMMessagePartAttributeName), [0, 1, 1, 1, 1, 2]);
  // node-typedstream has no NSURL class, so it reads links as present-but-undefined, as it does for real blobs.
  assert.ok('__kIMLinkAttributeName' in node.runs[2]!.attributes);
  assert.ok('__kIMLinkAttributeName' in nodeDecode(blob('URL')).runs[0]!.attributes);
});

/** Dictionary entries in key order: a Mac writes them in hash order, which carries no meaning. */
function sortDictionaries(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDictionaries);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, fields] of Object.entries(v)) {
    let f = sortDictionaries(fields);
    if (k.startsWith('NSDictionary') && Array.isArray(f)) {
      const pairs: [unknown, unknown][] = [];
      for (let i = 1; i < f.length; i += 2) pairs.push([f[i], f[i + 1]]);
      pairs.sort((a, b) => JSON.stringify(a[0]).localeCompare(JSON.stringify(b[0])));
      f = [f[0], ...pairs.flat()];
    }
    out[k] = f;
  }
  return out;
}

test('re-encoding real blobs reproduces their structure', () => {
  // Blobs whose every attribute we model. What legitimately differs: dictionary
  // key order (hash order on a Mac) and object sharing (a Mac repeats or shares
  // an attribute-name NSString depending on pointers; we always share the
  // constant keys). structureOf expands references and we sort dictionary
  // entries, so only a real difference in classes, versions, types or values shows.
  const modelled = GOOD.filter((g) => !decodeAttributedBody(g.bytes).runs.some((r) => r.otherAttributes || r.dataDetected));
  assert.deepEqual(modelled.map((g) => g.file), ['AppMessage', 'AttributedBodyTextOnly', 'AttributedBodyTextOnly2', 'Blank', 'EditedWithFormatting', 'EmojiBoldUnderline', 'Formatted', 'LongMessage', 'Mention', 'MultiAttachment', 'MultiPart', 'TextEffects', 'WeirdText']);
  const identical: string[] = [];
  for (const g of modelled) {
    const body = decodeAttributedBody(g.bytes);
    const immutable = !g.bytes.includes('NSMutableAttributedString');
    const again = encodeAttributedBody(body.text, { runs: body.runs, immutable });
    assert.deepEqual(sortDictionaries(structureOf(again)), sortDictionaries(structureOf(g.bytes)), g.file);
    if (again.equals(g.bytes)) identical.push(g.file);
  }
  // Where key order and sharing happen to agree, the bytes are Apple's exactly.
  assert.deepEqual(identical, ['AppMessage', 'AttributedBodyTextOnly', 'AttributedBodyTextOnly2', 'Blank', 'EditedWithFormatting', 'Formatted', 'LongMessage', 'WeirdText']);
});

test('adjacent runs with equal attributes are merged; equal dictionaries are shared', () => {
  const bytes = encodeAttributedBody('abcdef', { runs: [{ start: 0, length: 2, part: 0 }, { start: 2, length: 2, part: 0 }, { start: 4, length: 1, part: 0, bold: true }, { start: 5, length: 1, part: 0 }] });
  assert.deepEqual(decodeAttributedBody(bytes).runs, [{ start: 0, length: 4, part: 0 }, { start: 4, length: 1, part: 0, bold: true }, { start: 5, length: 1, part: 0 }]);
  assert.equal(bytes.toString('latin1').split('NSDictionary').length - 1, 1, 'the class is written once');
  assert.equal(bytes.toString('latin1').split('__kIMTextBoldAttributeName').length - 1, 1);
});

test('runs that do not tile the text are rejected with a clear error', () => {
  const bad: AttributeRun[][] = [
    [{ start: 0, length: 3 }],
    [{ start: 0, length: 2 }, { start: 3, length: 2 }],
    [{ start: 0, length: 5 }, { start: 5, length: 1 }],
    [{ start: 0, length: -1 }, { start: -1, length: 5 }],
  ];
  for (const runs of bad) assert.throws(() => encodeAttributedBody('hello', { runs }), AttributedBodyEncodeError);
});

test('hundreds of distinct runs need multi-byte reference numbers; both decoders follow them', () => {
  const n = 400;
  const text = '\uFFFCx'.repeat(n);
  const runs: AttributeRun[] = [];
  for (let i = 0; i < n; i++) {
    runs.push({ start: 2 * i, length: 1, part: 2 * i, attachmentGuid: `at_${2 * i}_GUID` });
    runs.push({ start: 2 * i + 1, length: 1, part: 2 * i + 1 });
  }
  const bytes = encodeAttributedBody(text, { runs });
  assert.ok(bytes.includes(Buffer.from([0x81])), 'int16 forms present');
  assert.deepEqual(decodeAttributedBody(bytes), { text, runs });
  const node = nodeDecode(bytes);
  assert.equal(node.string, text);
  assert.deepEqual(node.runs.map((r) => r.attributes.__kIMMessagePartAttributeName), runs.map((r) => r.part));
  assert.equal(node.runs[798]!.attributes.__kIMFileTransferGUIDAttributeName, 'at_798_GUID');
});
