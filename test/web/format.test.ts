// The web client's pure presentation rules: list times, previews, receipts,
// grouping and unread counts (web/src/format.ts, web/src/unread.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayLabel, namesFrom, previewOf, receiptOf, sameGroup, timeOf, unreadIn } from '../../web/src/format.ts';
import { parseRoute, hrefOf } from '../../web/src/routes.ts';
import type { MessageJson } from '../../web/src/types.ts';

const msg = (o: Partial<MessageJson>): MessageJson => ({
  rowid: 1, guid: 'g', chat_guid: 'c', from_me: false, sender: '+15550001', sender_name: 'Ada Lovelace', service: 'iMessage', date: '2026-12-03T14:05:00.000Z',
  text: '', attachments: [], reaction: null, reply_to: null, edited_at: null, edits: [], unsent: false, event: null, error: 0, ...o,
});
const att = (transfer_name: string, mime_type: string | null) => ({ path: null, mime_type, transfer_name, size: 10 });

test('list times: today a clock time, this week a weekday, older a date (with the year when not this one)', () => {
  const now = new Date(2026, 11, 3, 18, 0); // Thu 3 Dec 2026
  assert.equal(timeOf(new Date(2026, 11, 3, 14, 5).toISOString(), now), '14:05');
  assert.equal(timeOf(new Date(2026, 11, 1, 9, 0).toISOString(), now), new Date(2026, 11, 1).toLocaleDateString(undefined, { weekday: 'short' }));
  assert.equal(timeOf(new Date(2026, 10, 20).toISOString(), now), new Date(2026, 10, 20).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }));
  assert.match(timeOf(new Date(2025, 10, 20).toISOString(), now), /2025/);
  assert.equal(timeOf(null, now), '');
  assert.equal(timeOf('not a date', now), '');
  assert.equal(dayLabel(new Date(2026, 11, 3, 1).toISOString(), now), 'Today');
  assert.equal(dayLabel(new Date(2026, 11, 2, 23).toISOString(), now), 'Yesterday');
});

test('previews read like Messages: photo, voice message, tapback, unsent, files, group events with names', () => {
  assert.equal(previewOf(msg({ attachments: [att('IMG_1.HEIC', 'image/heic')] }), false), '📷 Photo');
  assert.equal(previewOf(msg({ attachments: [att('Audio Message.caf', 'audio/x-caf')] }), false), '🎤 Voice message');
  assert.equal(previewOf(msg({ reaction: { type: 'love', emoji: null, target_guid: 'x', target_part: 0, removed: false } }), false), 'Tapback ❤️');
  assert.equal(previewOf(msg({ attachments: [att('plan.pdf', 'application/pdf')] }), false), '📎 plan.pdf');
  assert.equal(previewOf(msg({ unsent: true, from_me: true }), false), 'You unsent a message');
  assert.equal(previewOf(msg({ text: 'hi\nthere', from_me: true }), false), 'You: hi there');
  assert.equal(previewOf(msg({ text: 'moth' }), true), 'Ada: moth');
  const nameOf = namesFrom([{ guid: 'c', service: 'iMessage', display_name: null, is_group: true, participants: ['g@x.org', '+15550005'], participant_names: ['Grace Hopper', 'Katherine Johnson'], last_message_at: null }]);
  assert.equal(previewOf(msg({ event: { type: 'member_added', actor: 'g@x.org', handle: '+15550005' } }), true, nameOf), 'Grace Hopper added Katherine Johnson');
});

test('receipts, grouping and unread counts', () => {
  assert.match(receiptOf(msg({ from_me: true, is_read: true, read_at: new Date().toISOString() })), /^Read \d\d:\d\d$/);
  assert.equal(receiptOf(msg({ from_me: true, is_delivered: true })), 'Delivered');
  assert.equal(receiptOf(msg({ from_me: true })), '');
  const a = msg({ date: '2026-12-03T14:05:00.000Z' });
  assert.ok(sameGroup(a, msg({ date: '2026-12-03T14:07:00.000Z' })));
  assert.ok(!sameGroup(a, msg({ date: '2026-12-03T14:30:00.000Z' })), 'a long pause starts a new group');
  assert.ok(!sameGroup(a, msg({ from_me: true, sender: 'me', date: '2026-12-03T14:06:00.000Z' })), 'another sender starts a new group');
  const ms = [msg({ rowid: 1 }), msg({ rowid: 2, from_me: true }), msg({ rowid: 3 }), msg({ rowid: 4, is_read: true }), msg({ rowid: 5 })];
  assert.equal(unreadIn(ms, 0), 2, 'only incoming unread after my last reply');
  assert.equal(unreadIn(ms, 3), 1, 'minus what this browser already showed');
});

test('the route in the hash survives a reload and never breaks on a mangled hash', () => {
  const guid = 'iMessage;-;+15551230001';
  assert.deepEqual(parseRoute(hrefOf({ view: 'chat', chat: guid })), { view: 'chat', chat: guid });
  assert.deepEqual(parseRoute('#new'), { view: 'new' });
  assert.deepEqual(parseRoute('#chat=%E0%A4%A'), { view: 'list' });
  assert.deepEqual(parseRoute(''), { view: 'list' });
});
