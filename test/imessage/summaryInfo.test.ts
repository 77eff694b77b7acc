import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { earlierTexts, parseSummaryInfo, retractedParts } from '../../src/imessage/summaryInfo.ts';
import plist from 'plist';
import { SHARED, summaryBlob, typedstreamBlob } from './fixture.ts';

interface Expected { file: string; parts: { status: string; history?: string[] }[] }
const expected = JSON.parse(readFileSync(join(SHARED, 'edited_message/expected.json'), 'utf8')) as Expected[];

test('every real message_summary_info gives the expected parts, statuses and histories', () => {
  assert.equal(expected.length, 9);
  for (const e of expected) {
    const info = parseSummaryInfo(summaryBlob(e.file));
    assert.deepEqual(info.warnings, [], e.file);
    assert.deepEqual(info.parts.map((p) => (p.history ? { status: p.status, history: p.history } : { status: p.status })), e.parts, e.file);
  }
});

test('edits are the earlier texts, oldest first, without the current one; unsent parts are listed', () => {
  const edited = parseSummaryInfo(summaryBlob('Edited.plist'));
  assert.deepEqual(earlierTexts(edited), ['First message  ', 'Edit 1', 'Edit 2']);
  const dates = edited.parts[0]!.historyDates!;
  assert.equal(dates.length, 4);
  assert.ok(dates.every((d, i) => i === 0 || d > dates[i - 1]!), 'history dates ascend');
  assert.equal(new Date(dates[0]!).getUTCFullYear(), 2022);
  const both = parseSummaryInfo(summaryBlob('EditedAndUnsent.plist'));
  assert.deepEqual(retractedParts(both), [3]);
  assert.deepEqual(earlierTexts(both), ['Second test']);
  assert.deepEqual(retractedParts(parseSummaryInfo(summaryBlob('Deleted.plist'))), [0]);
});

test('the XML plist form is read too', () => {
  const buf = summaryBlob('EditedWithFormatting.plist');
  assert.ok(buf.subarray(0, 5).toString() === '<?xml');
  assert.deepEqual(earlierTexts(parseSummaryInfo(buf)), ['Test']);
});

test('a damaged blob gives no parts and a warning, never an exception', () => {
  const good = summaryBlob('Edited.plist');
  for (const bad of [Buffer.from('bplist00garbage'), good.subarray(0, good.length - 20), Buffer.from('not a plist'), Buffer.alloc(0)]) {
    const info = parseSummaryInfo(bad);
    assert.deepEqual(info.parts, []);
    if (bad.length > 0) assert.equal(info.warnings.length, 1);
  }
  // A history entry whose typedstream is corrupt is skipped with a warning; the rest survives.
  const xml = plist.build({ ec: { 0: [{ t: typedstreamBlob('ExtraData'), d: 1 }, { t: typedstreamBlob('AttributedBodyTextOnly'), d: 2 }] }, ep: [0] });
  const info = parseSummaryInfo(Buffer.from(xml));
  assert.equal(info.warnings.length, 1);
  assert.match(info.warnings[0]!, /part 0/);
  assert.deepEqual(info.parts[0]!.history, ['Noter test']);
});
