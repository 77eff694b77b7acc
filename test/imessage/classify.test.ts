import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, parseAssociatedGuid, parseThreadPart, URL_BALLOON, type ClassifyInput } from '../../src/imessage/classify.ts';

const base: ClassifyInput = {
  itemType: 0, groupActionType: 0, groupTitle: null, otherHandle: null, actor: '+15551230000',
  associatedType: 0, associatedGuid: null, associatedEmoji: null, balloonBundleId: null, hasPayload: false,
};
const GUID = '6D3A5C1E-0000-4000-8000-00000000ABCD';

test('target guid and part from p:N/GUID, bp:GUID and a bare GUID', () => {
  assert.deepEqual(parseAssociatedGuid(`p:0/${GUID}`), { guid: GUID, part: 0 });
  assert.deepEqual(parseAssociatedGuid(`p:3/${GUID}`), { guid: GUID, part: 3 });
  assert.deepEqual(parseAssociatedGuid(`bp:${GUID}`), { guid: GUID, part: 0 });
  assert.deepEqual(parseAssociatedGuid(GUID), { guid: GUID, part: 0 });
});

test('thread_originator_part: the first ":" field is the part', () => {
  assert.equal(parseThreadPart('2:0:14'), 2);
  assert.equal(parseThreadPart('0'), 0);
  assert.equal(parseThreadPart(null), 0);
  assert.equal(parseThreadPart('x:1'), 0);
});

test('tapbacks 2000–2007 and their removals 3000–3007', () => {
  const want = [['love', '❤️'], ['like', '👍'], ['dislike', '👎'], ['laugh', '😂'], ['emphasize', '‼️'], ['question', '❓'], ['emoji', '🫠'], ['sticker', null]] as const;
  for (let i = 0; i < 8; i++) {
    for (const removed of [false, true]) {
      const c = classify({ ...base, associatedType: (removed ? 3000 : 2000) + i, associatedGuid: `p:1/${GUID}`, associatedEmoji: i === 6 ? '🫠' : null });
      assert.equal(c.kind, 'reaction');
      if (c.kind !== 'reaction') continue;
      assert.deepEqual(c.reaction, { type: want[i]![0], emoji: want[i]![1], targetGuid: GUID, targetPart: 1, removed });
    }
  }
  const legacy = classify({ ...base, associatedType: 1000, associatedGuid: `bp:${GUID}` });
  assert.equal(legacy.kind === 'reaction' && legacy.reaction.type, 'sticker');
  assert.equal(classify({ ...base, associatedType: 4000, associatedGuid: GUID }).kind, 'other');
});

test('group events: who did what to whom', () => {
  assert.deepEqual(classify({ ...base, itemType: 1, groupActionType: 0, otherHandle: '+15559990000' }),
    { kind: 'group_event', event: { type: 'member_added', handle: '+15559990000', actor: '+15551230000' } });
  assert.deepEqual(classify({ ...base, itemType: 1, groupActionType: 1, otherHandle: 'x@example.com', actor: 'me' }),
    { kind: 'group_event', event: { type: 'member_removed', handle: 'x@example.com', actor: 'me' } });
  assert.deepEqual(classify({ ...base, itemType: 2, groupTitle: 'Trip 🏔' }), { kind: 'group_event', event: { type: 'renamed', name: 'Trip 🏔', actor: '+15551230000' } });
  assert.deepEqual(classify({ ...base, itemType: 3, groupActionType: 0 }), { kind: 'group_event', event: { type: 'member_left', actor: '+15551230000' } });
  assert.deepEqual(classify({ ...base, itemType: 3, groupActionType: 1 }), { kind: 'group_event', event: { type: 'photo_changed', actor: '+15551230000' } });
  assert.deepEqual(classify({ ...base, itemType: 3, groupActionType: 2 }), { kind: 'group_event', event: { type: 'photo_changed', actor: '+15551230000' } });
  for (const t of [4, 5, 6]) assert.equal(classify({ ...base, itemType: t }).kind, 'other');
});

test('URL previews and app balloons', () => {
  assert.deepEqual(classify({ ...base, balloonBundleId: URL_BALLOON }), { kind: 'url_preview' });
  assert.deepEqual(classify({ ...base, hasPayload: true }), { kind: 'url_preview' });
  const app = 'com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.apple.PassbookUIService.PeerPaymentMessagesExtension';
  assert.deepEqual(classify({ ...base, balloonBundleId: app, hasPayload: true }), { kind: 'app', bundleId: app });
  assert.deepEqual(classify(base), { kind: 'text' });
});
