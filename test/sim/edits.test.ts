import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import bplist from 'bplist-parser';
import { decodeAttributedBody } from '../../src/imessage/typedstream/index.ts';
import { PlistReal, PlistUid, writeBplist } from '../../src/sim/bplist.ts';
import { MessagesSimulator } from '../../src/sim/simulator.ts';
import { readRows, tempDir } from './support.ts';

const EDITED = join(import.meta.dirname, '../fixtures/edited_message');
const PHONE = '+15551234567';
type Entry = { t: Buffer; d: number };
type Info = { amc?: number; ust?: boolean; ec?: Record<string, Entry[]>; ep?: number[]; rp?: number[]; otr?: Record<string, { lo: number; le: number }> };

test('bplist writer: byte-identical to a real Messages plist, and round-trips every type through bplist-parser', () => {
  const real = readFileSync(join(EDITED, 'Deleted.plist'));
  assert.ok(writeBplist({ amc: 0, ust: true, otr: { 0: { lo: 0, le: 13 } }, rp: [0] }).equals(real));
  const value = {
    small: 7, big: 70_000, neg: -5, real: 1.5, whole: new PlistReal(3), t: true, f: false,
    ascii: 'plain', unicode: 'שלום 👋🏽 e\u0301', data: Buffer.from([0, 1, 2, 255]), list: [1, 'two', [3]], nested: { a: { b: 'c' } },
    long: 'x'.repeat(300), many: Array.from({ length: 20 }, (_, i) => i), date: new Date('2024-01-01T00:00:00Z'), uid: new PlistUid(3),
  };
  const parsed = bplist.parseBuffer(writeBplist(value))[0] as Record<string, unknown>;
  assert.deepEqual({ ...parsed, uid: undefined, date: undefined }, {
    ...value, whole: 3, uid: undefined, date: undefined, data: Buffer.from([0, 1, 2, 255]),
  });
  assert.equal((parsed.date as Date).toISOString(), '2024-01-01T00:00:00.000Z');
  assert.equal((parsed.uid as { UID: number }).UID, 3);
  // 8-byte integers (beyond what bplist-parser's 32-bit reader handles): marker 0x13 then big-endian.
  const huge = writeBplist(2 ** 40);
  assert.equal(huge[8], 0x13);
  assert.equal(huge.readBigInt64BE(9), 2n ** 40n);
  assert.throws(() => writeBplist({ bad: undefined as unknown as null }), /undefined/);
});

function summary(sim: MessagesSimulator, guid: string): { info: Info; row: Record<string, unknown> } {
  const [row] = readRows<Record<string, unknown>>(sim.dbPath, 'SELECT text, attributedBody, date_edited, date_retracted, message_summary_info FROM message WHERE guid = ?', guid);
  return { info: bplist.parseBuffer(row!.message_summary_info as Buffer)[0] as Info, row: row! };
}

test('edit: the row is updated in place, with ec history (original first), ep and the original otr', (t) => {
  const sim = MessagesSimulator.create({ dir: tempDir(t), version: 'sequoia' });
  t.after(() => sim.close());
  const chat = sim.addChat({ participants: [PHONE] });
  const m = sim.sendFromMe(chat, { text: 'First message  ' });
  const max = sim.maxRowid();
  sim.edit(m.guid, 'Edit 1');
  sim.edit(m.guid, 'Edited message ✅');
  assert.equal(sim.maxRowid(), max, 'no new row');
  const { info, row } = summary(sim, m.guid);
  assert.equal(row.text, null);
  assert.equal(decodeAttributedBody(row.attributedBody as Buffer).text, 'Edited message ✅');
  assert.ok((row.date_edited as bigint) > 0n);
  assert.deepEqual(Object.keys(info), ['amc', 'ec', 'ust', 'ep', 'otr'], 'same keys, same order as a real Edited.plist');
  assert.deepEqual(info.ep, [0]);
  assert.deepEqual(info.otr, { 0: { lo: 0, le: 15 } });
  const history = info.ec!['0']!;
  assert.deepEqual(history.map((e) => decodeAttributedBody(e.t).text), ['First message  ', 'Edit 1', 'Edited message ✅']);
  assert.ok(history.every((e) => typeof e.d === 'number' && e.d > 7e8 && e.d < 2e9), 'd is float seconds since 2001');
  assert.ok(history[0]!.d <= history[2]!.d);
  // The same shape as Messages' own plist for an edited message.
  const real = bplist.parseBuffer(readFileSync(join(EDITED, 'Edited.plist')))[0] as Info;
  assert.deepEqual(Object.keys(real), Object.keys(info));
});

test('unsend: whole message → body emptied, rp lists every part; one part → the rest stays', (t) => {
  const sim = MessagesSimulator.create({ dir: tempDir(t), version: 'ventura' });
  t.after(() => sim.close());
  const chat = sim.addChat({ participants: [PHONE] });
  const whole = sim.sendFromMe(chat, { text: 'oops' });
  sim.unsend(whole.guid);
  const a = summary(sim, whole.guid);
  assert.equal(a.row.attributedBody, null);
  assert.equal(a.row.text, null);
  assert.ok((a.row.date_retracted as bigint) > 0n);
  assert.deepEqual(a.info, { amc: 0, ust: true, otr: { 0: { lo: 0, le: 4 } }, rp: [0] }, 'the shape of a real Deleted.plist');

  const multi = sim.sendFromMe(chat, { text: 'caption', attachments: [{ name: 'a.jpg' }, { name: 'b.jpg' }] });
  sim.edit(multi.guid, 'new caption');
  sim.unsend(multi.guid, { part: 1 });
  const b = summary(sim, multi.guid);
  const body = decodeAttributedBody(b.row.attributedBody as Buffer);
  assert.equal(body.text, '\uFFFCnew caption');
  assert.deepEqual(body.runs.map((r) => r.part), [0, 2], 'the remaining parts keep their numbers');
  assert.deepEqual(b.info.rp, [1]);
  assert.deepEqual(b.info.ep, [2]);
  assert.deepEqual(b.info.otr, { 0: { lo: 0, le: 1 }, 1: { lo: 1, le: 1 }, 2: { lo: 2, le: 7 } });
  assert.deepEqual(b.info.ec!['2']!.map((e) => decodeAttributedBody(e.t).text), ['caption', 'new caption']);
  assert.throws(() => sim.unsend(multi.guid, { part: 1 }), /already unsent/);
  assert.throws(() => sim.edit(multi.guid, 'x', { part: 0 }), /not a text part/);
});

test('edits and unsends are refused before Ventura, where Messages had neither', (t) => {
  const sim = MessagesSimulator.create({ dir: tempDir(t), version: 'monterey' });
  t.after(() => sim.close());
  const m = sim.receive(sim.addChat({ participants: [PHONE] }), { from: PHONE, text: 'x' });
  assert.throws(() => sim.edit(m.guid, 'y'), /date_edited/);
  assert.throws(() => sim.unsend(m.guid), /date_retracted/);
});
