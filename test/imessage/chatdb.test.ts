// ChatDb against every schema version, from El Capitan to macOS 26.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ChatDb } from '../../src/imessage/db/index.ts';
import { openChatDb } from '../../src/imessage/db/open.ts';
import type { IMessage } from '../../src/imessage/model.ts';
import { FixtureDb, tempDir, VERSIONS, manifestText } from './fixture.ts';
import { ALICE, APP_BUNDLE, at, BOB, CAROL, TRICKY, writeScenario } from './scenario.ts';

for (const version of VERSIONS) {
  test(`reads every message kind from a ${version} chat.db`, (t) => {
    const dir = tempDir(t);
    const home = join(dir, 'home');
    const fx = new FixtureDb(join(dir, 'chat.db'), version);
    const s = writeScenario(fx);
    const db = ChatDb.open(fx.path, { home, pageSize: 7 });
    t.after(() => { db.close(); fx.close(); });
    const all = [...db.iterateMessages()];
    const by = (name: string): IMessage => {
      const m = all.find((x) => x.guid === s.guids[name]);
      assert.ok(m, `message ${name} present`);
      return m;
    };
    const has = (c: string): boolean => fx.messageColumns.has(c);

    assert.equal(all.length, Object.keys(s.guids).length);
    assert.deepEqual(all.map((m) => m.rowid), [...all.map((m) => m.rowid)].sort((a, b) => a - b));
    assert.equal(db.maxRowid(), all.at(-1)!.rowid);
    assert.equal(db.columns.has('guid'), true);
    assert.equal(db.columns.has('date_edited'), has('date_edited'));

    const plain = by('plain');
    assert.equal(plain.rawText, TRICKY);
    assert.equal(plain.text, TRICKY);
    assert.equal(Buffer.from(plain.text).equals(Buffer.from(TRICKY)), true);
    assert.equal(plain.sender, ALICE);
    assert.equal(plain.fromMe, false);
    assert.equal(plain.kind, 'text');
    assert.equal(plain.chatGuid, s.chats.one);
    assert.equal(plain.service, 'iMessage');
    assert.equal(plain.date, at(0));
    assert.equal(plain.dateRead, at(1));
    assert.equal(plain.dateDelivered, null);
    assert.equal(plain.isRead, true);
    assert.deepEqual(plain.warnings, []);

    const body = by('body');
    assert.equal(body.rawText, manifestText('Attachment'));
    assert.equal(body.text, 'This is how the notes look to me fyi, in case it helps make sense of anything');
    assert.deepEqual(body.attachments, [{ guid: 'AT-1', path: join(home, 'Library/Messages/Attachments/ab/01/AT-1/notes.png'), mimeType: 'image/png', uti: 'public.png', transferName: 'notes.png', size: 12345, isSticker: false, part: 0 }]);

    const corrupt = by('corrupt');
    assert.equal(corrupt.text, 'fallback text');
    assert.equal(corrupt.warnings.length, 1);
    assert.match(corrupt.warnings[0]!, /attributedBody/);
    assert.equal(corrupt.sender, BOB);

    const mine = by('mine');
    assert.equal(mine.sender, 'me');
    assert.equal(mine.fromMe, true);
    assert.deepEqual([mine.isSent, mine.isDelivered, mine.error, mine.dateDelivered], [true, true, 0, at(5)]);
    const failed = by('failed');
    assert.deepEqual([failed.isSent, failed.error, failed.service, failed.chatGuid], [false, 22, 'SMS', s.chats.sms]);

    const multi = by('multi');
    assert.equal(multi.text, '');
    assert.deepEqual(multi.attachments.map((a) => [a.guid, a.part, a.transferName, a.mimeType, a.uti, a.size]), [
      ['AT-2', 0, 'IMG_0001.HEIC', 'image/heic', 'public.heic', 2_000_000],
      ['AT-3', 1, 'Audio Message.caf', null, 'com.apple.coreaudio-format', 5000],
      ['AT-4', 2, 'clip.mp4', 'video/mp4', 'public.mpeg-4', 0],
    ]);
    assert.equal(multi.attachments[1]!.path, join(home, 'Library/Messages/Attachments/cd/03/AT-3/Audio Message.caf'));
    assert.equal(multi.attachments[2]!.path, null);
    assert.equal(multi.chatGuid, s.chats.group);

    assert.equal(by('noHandle').sender, ALICE, 'a missing handle row falls back to the 1:1 chat identifier');
    assert.equal(by('chatless').chatGuid, null);
    assert.equal(by('chatless').sender, ALICE);
    assert.equal(by('legacySeconds').date, at(9), 'a seconds value in a nanosecond-era database');

    if (has('associated_message_type')) {
      assert.deepEqual(by('love').reaction, { type: 'love', emoji: '❤️', targetGuid: s.guids.plain, targetPart: 0, removed: false });
      assert.equal(by('love').kind, 'reaction');
      assert.deepEqual(by('unlike').reaction, { type: 'like', emoji: '👍', targetGuid: s.guids.plain, targetPart: 0, removed: true });
      assert.deepEqual(by('emoji').reaction, { type: 'emoji', emoji: has('associated_message_emoji') ? '🫠' : null, targetGuid: s.guids.multi, targetPart: 1, removed: false });
      const sticker = by('sticker');
      assert.equal(sticker.reaction?.type, 'sticker');
      assert.equal(sticker.attachments[0]?.isSticker, true);
      assert.equal(sticker.attachments[0]?.path, join(home, 'Library/Messages/StickerCache/s1/sticker.heic'));
      assert.equal(by('url').kind, 'url_preview');
      assert.equal(by('url').text, 'https://example.com/a');
      const app = by('app');
      assert.equal(app.kind, 'app');
      assert.equal(app.balloonBundleId, APP_BUNDLE);
      assert.equal(app.text, '');
      assert.equal(app.rawText, '\uFFFC');
    }
    if (has('thread_originator_guid')) assert.deepEqual(by('reply').replyTo, { guid: s.guids.plain, part: 0 });
    if (has('reply_to_guid')) assert.equal(by('notReply').replyTo, null, 'reply_to_guid alone is not a reply');
    if (has('date_edited')) {
      const edited = by('edited');
      assert.equal(edited.text, 'Noter test');
      assert.equal(edited.dateEdited, at(19));
      assert.deepEqual(edited.edits, ['First message  ', 'Edit 1', 'Edit 2']);
      assert.equal(edited.unsent, false);
      const unsent = by('unsent');
      assert.deepEqual([unsent.unsent, unsent.dateRetracted, unsent.retractedParts, unsent.text], [true, at(21), [0], '']);
      const part = by('partUnsent');
      assert.deepEqual([part.unsent, part.retractedParts, part.text], [false, [3], 'still here']);
    }
    assert.deepEqual(by('renamed').event, { type: 'renamed', name: 'Hikers 2', actor: BOB });
    assert.deepEqual(by('added').event, { type: 'member_added', handle: CAROL, actor: 'me' });
    assert.deepEqual(by('removed').event, { type: 'member_removed', handle: CAROL, actor: ALICE });
    assert.deepEqual(by('left').event, { type: 'member_left', actor: BOB });
    assert.deepEqual(by('photo').event, { type: 'photo_changed', actor: ALICE });
    assert.equal(by('photo').kind, 'group_event');

    // Chats: service from the guid prefix (any; on macOS 26), participants, group or not, newest message.
    const chats = db.chats();
    const svc = version === 'sequoia-26' ? 'any' : 'iMessage';
    const group = chats.find((c) => c.guid === s.chats.group)!;
    assert.deepEqual({ ...group, rowid: 0 }, { rowid: 0, guid: s.chats.group, service: svc, identifier: 'chat123456789', displayName: 'Hikers', isGroup: true, participants: [ALICE, BOB], lastMessageAt: at(34) });
    const one = chats.find((c) => c.guid === s.chats.one)!;
    assert.deepEqual([one.isGroup, one.displayName, one.participants, one.service], [false, null, [ALICE], svc]);
    assert.equal(db.chat(ALICE)?.guid, s.chats.one);
    assert.equal(db.chat(s.chats.group)?.displayName, 'Hikers');
    assert.equal(db.chat('nobody@example.com'), null);
    if (version === 'sequoia-26') assert.equal(by('renamed').chatGuid, s.chats.group);
  });
}

test('a whole-table reader (scan) keeps a small page cache; other readers keep SQLite default', (t) => {
  const dir = tempDir(t);
  const fx = new FixtureDb(join(dir, 'chat.db'), 'sequoia');
  writeScenario(fx);
  fx.close();
  const cacheOf = (scan: boolean): number => {
    const db = openChatDb(fx.path, 1000, scan);
    try { return db.pragma('cache_size', { simple: true }) as number; } finally { db.close(); }
  };
  // Negative: KiB. A sequential read never returns to a page; 16 MB per read connection was waste.
  assert.equal(cacheOf(true), -1024);
  assert.equal(cacheOf(false), -16000);
  const db = ChatDb.open(fx.path, { scan: true });
  t.after(() => db.close());
  assert.ok([...db.iterateMessages()].length > 0);
});
