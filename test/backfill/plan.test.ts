// The planner: which lines a new portal gets, and how tapbacks, edits and
// unsends fold into them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planHistory, DEFAULT_LIMITS } from '../../src/core/backfill/plan.ts';
import type { IMessage, Reaction } from '../../src/imessage/model.ts';
import type { ChatGuid, MessageGuid } from '../../src/ids.ts';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const DAY = 24 * 3600_000;
let rowid = 0;

function msg(o: Partial<IMessage> & { text?: string } = {}): IMessage {
  rowid++;
  return {
    rowid, guid: `G${rowid}` as MessageGuid, chatGuid: 'iMessage;-;+15550001111' as ChatGuid, kind: 'text', fromMe: false, sender: '+15550001111',
    service: 'iMessage', date: NOW - DAY + rowid * 60_000, dateRead: null, dateDelivered: null, dateEdited: null, dateRetracted: null,
    text: '', rawText: '', attachments: [], reaction: null, replyTo: null, edits: [], unsent: false, retractedParts: [], event: null,
    isSent: true, isDelivered: true, isRead: false, error: 0, balloonBundleId: null, warnings: [], ...o,
  };
}

function tap(target: IMessage, r: Partial<Reaction> & { from?: string; fromMe?: boolean } = {}): IMessage {
  const { from, fromMe, ...rest } = r;
  const reaction: Reaction = { type: 'love', emoji: '❤️', targetGuid: target.guid, targetPart: 0, removed: false, ...rest };
  return msg({ kind: 'reaction', reaction, sender: fromMe ? 'me' : from ?? '+15550001111', fromMe: fromMe ?? false });
}

test('defaults: the last 50 messages within 30 days', () => {
  assert.deepEqual(DEFAULT_LIMITS, { messages: 50, maxAgeDays: 30 });
});

test('the newest N lines, oldest first, whatever order the rows come in', () => {
  const rows = Array.from({ length: 10 }, (_, i) => msg({ text: `m${i}` }));
  const plan = planHistory([...rows].reverse(), { messages: 4, maxAgeDays: 30 }, NOW);
  assert.deepEqual(plan.map((h) => h.message.text), ['m6', 'm7', 'm8', 'm9']);
});

test('messages: 0 turns backfill off', () => {
  assert.deepEqual(planHistory([msg({ text: 'x' })], { messages: 0, maxAgeDays: 30 }, NOW), []);
});

test('lines older than max_age_days are left out, even when fewer than N remain', () => {
  const old = msg({ text: 'old', date: NOW - 31 * DAY });
  const recent = msg({ text: 'recent', date: NOW - 29 * DAY });
  const undated = msg({ text: 'undated', date: null });
  const plan = planHistory([old, recent, undated], { messages: 50, maxAgeDays: 30 }, NOW);
  assert.deepEqual(plan.map((h) => h.message.text), ['recent']);
});

test('tapbacks fold into their target: no line of their own, the latest per person counts, removals clear', () => {
  const a = msg({ text: 'hello' });
  const b = msg({ text: 'world', fromMe: true, sender: 'me' });
  const rows = [
    a, b,
    tap(a, { type: 'like', emoji: '👍' }),
    tap(a, { type: 'love', emoji: '❤️' }), // replaces the like
    tap(a, { type: 'laugh', emoji: '😂', fromMe: true }),
    tap(b, { type: 'question', emoji: '❓' }),
    tap(b, { type: 'question', emoji: '❓', removed: true }),
  ];
  const plan = planHistory(rows, DEFAULT_LIMITS, NOW);
  assert.deepEqual(plan.map((h) => h.message.text), ['hello', 'world']);
  assert.deepEqual(plan[0]!.reactions.map((r) => [r.sender, r.emoji]), [['+15550001111', '❤️'], ['me', '😂']]);
  assert.deepEqual(plan[1]!.reactions, []);
});

test('tapbacks on lines outside the window are dropped, and do not count as lines', () => {
  const outside = msg({ text: 'outside' });
  const inside = msg({ text: 'inside' });
  const plan = planHistory([outside, inside, tap(outside), tap(outside, { from: '+15559990000' })], { messages: 1, maxAgeDays: 30 }, NOW);
  assert.deepEqual(plan.map((h) => [h.message.text, h.reactions.length]), [['inside', 0]]);
});

test('an edited message shows its current text, marked edited', () => {
  const e = msg({ text: 'see you at 6', edits: ['see you at 5'], dateEdited: NOW - 1000 });
  const [h] = planHistory([e], DEFAULT_LIMITS, NOW);
  assert.equal(h!.message.text, 'see you at 6');
  assert.equal(h!.edited, true);
  assert.equal(h!.unsent, false);
});

test('an unsent message keeps its place without content or reactions; unsent parts drop their attachment', () => {
  const att = (part: number) => ({ guid: `A${part}`, path: `/tmp/${part}.jpg`, mimeType: 'image/jpeg', uti: null, transferName: `${part}.jpg`, size: 10, isSticker: false, part });
  const gone = msg({ text: 'oops', unsent: true, dateRetracted: NOW - 500, attachments: [att(0)] });
  const partly = msg({ text: 'two photos', attachments: [att(0), att(1)], retractedParts: [1] });
  const after = msg({ text: 'after' });
  const plan = planHistory([gone, tap(gone), partly, after], DEFAULT_LIMITS, NOW);
  assert.deepEqual(plan.map((h) => [h.message.text, h.unsent, h.message.attachments.map((a) => a.part), h.reactions.length]), [
    ['', true, [], 0], ['two photos', false, [0], 0], ['after', false, [], 0],
  ]);
});

test('attachments come along; system rows without content are not lines', () => {
  const photo = msg({ text: '', attachments: [{ guid: 'A', path: '/tmp/p.heic', mimeType: 'image/heic', uti: null, transferName: 'p.heic', size: 10, isSticker: false, part: 0 }] });
  const other = msg({ kind: 'other' });
  const renamed = msg({ kind: 'group_event', event: { type: 'renamed', name: 'Trip', actor: 'me' } });
  const plan = planHistory([photo, other, renamed], DEFAULT_LIMITS, NOW);
  assert.deepEqual(plan.map((h) => h.message.kind), ['text', 'group_event']);
  assert.equal(plan[0]!.message.attachments[0]!.transferName, 'p.heic');
});
