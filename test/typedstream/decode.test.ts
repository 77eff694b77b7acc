import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import bplist from 'bplist-parser';
import plist from 'plist';
import { decodeAttributedBody, tryDecodeAttributedBody, TypedstreamError, type AttributeRun } from '../../src/imessage/typedstream/index.ts';
import { blob, MANIFEST, SHARED } from './blobs.ts';

const runsOf = (name: string): AttributeRun[] => decodeAttributedBody(blob(name)).runs;

test('every real blob decodes to the manifest text exactly (U+FFFC included)', () => {
  assert.equal(MANIFEST.length, 26);
  for (const m of MANIFEST) {
    const bytes = blob(m.file);
    assert.equal(createHash('sha1').update(bytes).digest('hex'), m.sha1, `${m.file} is the blob the manifest describes`);
    if (m.expect === 'error') continue;
    const body = decodeAttributedBody(bytes);
    assert.equal(body.text, m.text, m.file);
    // Runs tile the text exactly, in UTF-16 units.
    let at = 0;
    for (const r of body.runs) { assert.equal(r.start, at, m.file); at += r.length; }
    assert.equal(at, body.text.length, `${m.file} runs cover the text`);
  }
  assert.equal(decodeAttributedBody(blob('Blank')).text, '');
  assert.deepEqual(decodeAttributedBody(blob('Blank')).runs, []);
});

test('decodes from a plain Uint8Array view (not a Buffer) at an offset', () => {
  const src = blob('Mention');
  const backing = new Uint8Array(src.length + 7);
  backing.set(src, 7);
  assert.equal(decodeAttributedBody(backing.subarray(7)).text, 'Test Dad ');
});

test('ExtraData (a block removed) is a TypedstreamError, thrown by the strict API and returned by the safe one', () => {
  const bytes = blob('ExtraData');
  assert.throws(() => decodeAttributedBody(bytes), (e: unknown) => e instanceof TypedstreamError && e.offset >= 16 && e.offset <= bytes.length && /length 157/.test(e.message));
  const r = tryDecodeAttributedBody(bytes);
  assert.ok(r instanceof TypedstreamError);
  assert.match(r.advice, /text column/);
});

test('non-typedstream and degenerate input are typed errors', () => {
  for (const bad of [Buffer.alloc(0), Buffer.from('bplist00'), Buffer.from([4]), Buffer.from('040b747970656473747265616d', 'hex'), blob('Blank').subarray(0, 16)]) {
    assert.ok(tryDecodeAttributedBody(bad) instanceof TypedstreamError, bad.toString('hex'));
  }
  assert.ok(tryDecodeAttributedBody('not bytes' as unknown as Uint8Array) instanceof TypedstreamError);
  assert.ok(tryDecodeAttributedBody(null as unknown as Uint8Array) instanceof TypedstreamError);
  // A valid stream followed by garbage is corrupt, not silently accepted.
  const trailing = Buffer.concat([blob('AttributedBodyTextOnly'), Buffer.from([0x92])]);
  assert.match((tryDecodeAttributedBody(trailing) as TypedstreamError).message, /1 unexpected bytes/);
});

test('invalid UTF-8 inside the text is an error, not mojibake', () => {
  const bytes = Buffer.from(blob('AttributedBodyTextOnly'));
  const at = bytes.indexOf('Noter');
  bytes[at] = 0xff;
  assert.match((tryDecodeAttributedBody(bytes) as TypedstreamError).message, /UTF-8/);
});

test('attachment runs carry the file transfer guid, filename and part', () => {
  const [photo, caption] = runsOf('Attachment');
  assert.deepEqual({ ...photo, otherAttributes: undefined }, {
    start: 0, length: 1, part: 0, writingDirection: -1, otherAttributes: undefined,
    attachmentGuid: 'at_0_2E5F12C3-E649-48AA-954D-3EA67C016BCC', filename: 'Messages Image(785748029).png',
  });
  assert.deepEqual(photo!.otherAttributes?.sort(), ['__kIMInlineMediaHeightAttributeName', '__kIMInlineMediaWidthAttributeName']);
  assert.deepEqual(caption, { start: 1, length: 77, part: 1, writingDirection: -1 });

  const multi = runsOf('MultiAttachment');
  assert.equal(multi.length, 19);
  multi.forEach((r, i) => {
    assert.equal(r.start, i);
    assert.equal(r.part, i);
    assert.equal(r.attachmentGuid, `at_${i}_48B9C973-3466-438C-BE72-E5B498D30772`);
  });
  const parts = runsOf('MultiPart');
  assert.deepEqual(parts.map((r) => [r.part, r.attachmentGuid ?? null]), [
    [0, 'at_0_F0668F79-20C2-49C9-A87F-1B007ABB0CED'], [1, null], [2, 'at_2_F0668F79-20C2-49C9-A87F-1B007ABB0CED'],
    [3, null], [4, 'at_4_F0668F79-20C2-49C9-A87F-1B007ABB0CED'], [5, null],
  ]);
  assert.equal(runsOf('AppMessage')[0]!.attachmentGuid, 'F0B18A15-E9A5-4B18-A38F-685B7B3FF037');
});

test('links are read from NSURL values', () => {
  assert.deepEqual(runsOf('URL'), [{ start: 0, length: 34, part: 0, writingDirection: -1, dataDetected: true, link: 'https://github.com/ReagentX/Logria' }]);
  const [single] = runsOf('SingleLink');
  assert.equal(single!.link, 'https://www.ghacks.net/2020/01/23/lastpass-no-longer-listed-on-the-chrome-web-store/');
  assert.equal(single!.length, 84);
  assert.equal(runsOf('Email')[0]!.link, 'mailto:asdfghjklq@gmail.com');
  assert.equal(runsOf('PhoneNumber')[1]!.link, 'tel:0000000000');
  const [styled] = runsOf('StyledLink');
  assert.equal(styled!.link, 'https://github.com/ReagentX/imessage-exporter/discussions/553');
  assert.equal(styled!.textEffect, 5);
});

test('mentions, formatting, effects and data detectors', () => {
  assert.deepEqual(runsOf('Mention'), [
    { start: 0, length: 5, part: 0 }, { start: 5, length: 3, part: 0, mention: '+15558675309' }, { start: 8, length: 1, part: 0 },
  ]);
  const emoji = runsOf('EmojiBoldUnderline');
  // "🅱️" is 3 UTF-16 units (surrogate pair + VS16): run lengths count UTF-16, not bytes or code points.
  assert.deepEqual(emoji.map((r) => [r.start, r.length, r.bold ?? false, r.underline ?? false]), [[0, 3, false, false], [3, 4, true, false], [7, 1, false, false], [8, 9, false, true]]);
  assert.equal(runsOf('EditedWithFormatting')[0]!.strikethrough, true);
  assert.deepEqual(runsOf('TextEffects').map((r) => r.textEffect ?? null), [5, null, 11, 9, 11, 8, 11, 12, 4, 12, 6, 12, 10]);
  assert.deepEqual(runsOf('Currency')[1], { start: 15, length: 3, part: 0, dataDetected: true, otherAttributes: ['__kIMMoneyAttributeName'] });
  assert.equal(runsOf('Code')[0]!.dataDetected, true);
  assert.deepEqual(runsOf('Date').map((r) => r.dataDetected ?? false), [false, true, false]);
  assert.equal(runsOf('LongMessage')[0]!.length, 2359);
});

test('edit-history texts inside message_summary_info decode to the expected history', () => {
  const dir = join(SHARED, 'edited_message');
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { file: string; parts: { status: string; history?: string[] }[] }[];
  let decoded = 0;
  for (const e of expected) {
    const raw = readFileSync(join(dir, e.file));
    const root = (raw.subarray(0, 6).toString() === 'bplist' ? bplist.parseBuffer(raw)[0] : plist.parse(raw.toString('utf8'))) as { ec?: Record<string, { t: Buffer }[]> };
    e.parts.forEach((part, i) => {
      if (part.status !== 'edited') return;
      const texts = root.ec![String(i)]!.map((entry) => decodeAttributedBody(entry.t).text);
      assert.deepEqual(texts, part.history, `${e.file} part ${i}`);
      decoded += texts.length;
    });
  }
  assert.ok(decoded >= 15, `decoded ${decoded} history texts`);
});
