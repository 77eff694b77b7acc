// One conversation history with every message kind, written into a fixture
// database of any schema version. Tests read it back through ChatDb.
import { typedstreamBlob, summaryBlob, type FixtureDb } from './fixture.ts';

export const T0 = Date.UTC(2024, 0, 2, 10, 0, 0);
export const at = (minutes: number): number => T0 + minutes * 60_000;
/** Emoji with skin tone, RTL, a combining mark, a non-BMP symbol, CRLF and trailing spaces: all must survive byte-exact. */
export const TRICKY = 'He\u0301llo 👋🏽 שלום עולם\r\n𝄞 line two  ';
export const ALICE = '+15551230001';
export const BOB = 'bob@example.com';
export const CAROL = '+15551230003';
export const APP_BUNDLE = 'com.apple.messages.MSMessageExtensionBalloonPlugin:0000000000:com.example.game';

export interface Scenario { guids: Record<string, string>; chats: { one: string; group: string; sms: string }; rowids: Record<string, number> }

export function writeScenario(fx: FixtureDb): Scenario {
  const svc = fx.version === 'sequoia-26' ? 'any' : 'iMessage';
  const modern = fx.messageColumns.has('date_edited');
  const alice = fx.handle(ALICE);
  const bob = fx.handle(BOB);
  const carolSms = fx.handle(CAROL, 'SMS');
  const chats = { one: `${svc};-;${ALICE}`, group: `${svc};+;chat123456789`, sms: `SMS;-;${CAROL}` };
  const one = fx.chat(chats.one, { handles: [alice], service: 'iMessage' });
  const group = fx.chat(chats.group, { displayName: 'Hikers', identifier: 'chat123456789', handles: [alice, bob], service: 'iMessage' });
  const sms = fx.chat(chats.sms, { handles: [carolSms] });
  const g = (name: string): string => `${name.toUpperCase().padEnd(8, '0')}-0000-4000-8000-${fx.version.replace(/\W/g, '').slice(0, 12).padEnd(12, '0')}`;
  const guids: Record<string, string> = {};
  const rowids: Record<string, number> = {};
  const add = (name: string, fields: Record<string, unknown>): number => {
    guids[name] = g(name);
    rowids[name] = fx.message({ guid: guids[name]!, ...fields } as never);
    return rowids[name]!;
  };

  add('plain', { text: TRICKY, handle_id: alice, dateMs: at(0), dateReadMs: at(1), is_read: 1, chatId: one });
  add('body', { text: modern ? null : '\uFFFCThis is how the notes look to me fyi, in case it helps make sense of anything', attributedBody: typedstreamBlob('Attachment'), handle_id: alice, dateMs: at(2), chatId: one });
  fx.attachment(rowids.body!, { guid: 'AT-1', filename: '~/Library/Messages/Attachments/ab/01/AT-1/notes.png', mime_type: 'image/png', uti: 'public.png', transfer_name: 'notes.png', total_bytes: 12345 });
  add('corrupt', { text: 'fallback text', attributedBody: typedstreamBlob('ExtraData'), handle_id: bob, dateMs: at(3), chatId: group });
  add('mine', { text: 'sent by me', is_from_me: 1, handle_id: 0, dateMs: at(4), dateDeliveredMs: at(5), is_sent: 1, is_delivered: 1, chatId: one });
  add('failed', { text: 'did not go', is_from_me: 1, handle_id: 0, dateMs: at(5), is_sent: 0, error: 22, chatId: sms, service: 'SMS' });
  add('multi', { text: '\uFFFC\uFFFC', handle_id: bob, dateMs: at(6), chatId: group });
  fx.attachment(rowids.multi!, { guid: 'AT-2', filename: '~/Library/Messages/Attachments/cd/02/AT-2/IMG_0001.HEIC', mime_type: 'image/heic', uti: 'public.heic', transfer_name: 'IMG_0001.HEIC', total_bytes: 2_000_000 });
  fx.attachment(rowids.multi!, { guid: 'AT-3', filename: '~/Library/Messages/Attachments/cd/03/AT-3/Audio Message.caf', mime_type: null, uti: 'com.apple.coreaudio-format', transfer_name: 'Audio Message.caf', total_bytes: 5000 });
  fx.attachment(rowids.multi!, { guid: 'AT-4', filename: null, mime_type: 'video/mp4', uti: 'public.mpeg-4', transfer_name: 'clip.mp4', total_bytes: 0 });
  add('noHandle', { text: 'who am i', handle_id: 999, dateMs: at(7), chatId: one });
  add('chatless', { text: 'no join yet', handle_id: alice, dateMs: at(8), chatId: null });
  add('legacySeconds', { text: 'old row', handle_id: alice, date: BigInt(Math.trunc((at(9) - 978_307_200_000) / 1000)), chatId: one });
  if (fx.messageColumns.has('associated_message_type')) {
    add('love', { text: `Loved “${TRICKY}”`, handle_id: bob, dateMs: at(10), associated_message_type: 2000, associated_message_guid: `p:0/${guids.plain}`, chatId: one });
    add('unlike', { text: 'Removed a like', handle_id: bob, dateMs: at(11), associated_message_type: 3001, associated_message_guid: `bp:${guids.plain}`, chatId: one });
    add('emoji', { text: 'Reacted 🫠', handle_id: alice, dateMs: at(12), associated_message_type: 2006, associated_message_emoji: '🫠', associated_message_guid: `p:1/${guids.multi}`, chatId: group });
    add('sticker', { text: '\uFFFC', handle_id: alice, dateMs: at(13), associated_message_type: 2007, associated_message_guid: guids.plain, chatId: one });
    fx.attachment(rowids.sticker!, { guid: 'AT-5', filename: '~/Library/Messages/StickerCache/s1/sticker.heic', mime_type: 'image/heic', uti: 'public.heic', transfer_name: 'sticker.heic', total_bytes: 900, is_sticker: 1 });
    add('url', { text: 'https://example.com/a', handle_id: alice, dateMs: at(14), balloon_bundle_id: 'com.apple.messages.URLBalloonProvider', payload_data: Buffer.from([0, 1, 2, 3, 0xff]), chatId: one });
    add('app', { text: null, attributedBody: typedstreamBlob('AppMessage'), handle_id: alice, dateMs: at(15), balloon_bundle_id: APP_BUNDLE, payload_data: Buffer.from([0xde, 0xad]), chatId: one });
  }
  if (fx.messageColumns.has('thread_originator_guid')) {
    add('reply', { text: 'a reply', handle_id: bob, dateMs: at(16), thread_originator_guid: guids.plain, thread_originator_part: '0:0:12', reply_to_guid: guids.plain, chatId: group });
  }
  if (fx.messageColumns.has('reply_to_guid')) {
    add('notReply', { text: 'just next', handle_id: alice, dateMs: at(17), reply_to_guid: guids.plain, chatId: one });
  }
  if (modern) {
    add('edited', { text: null, attributedBody: typedstreamBlob('AttributedBodyTextOnly'), handle_id: alice, dateMs: at(18), dateEditedMs: at(19), message_summary_info: summaryBlob('Edited.plist'), chatId: one });
    add('unsent', { text: null, attributedBody: null, is_from_me: 1, dateMs: at(20), dateRetractedMs: at(21), message_summary_info: summaryBlob('Deleted.plist'), chatId: one });
    add('partUnsent', { text: 'still here', handle_id: alice, dateMs: at(22), dateRetractedMs: at(23), message_summary_info: summaryBlob('MultiPartOneDeleted.plist'), chatId: one });
  }
  add('renamed', { text: null, item_type: 2, group_title: 'Hikers 2', handle_id: bob, dateMs: at(30), chatId: group });
  add('added', { text: null, item_type: 1, group_action_type: 0, other_handle: carolSms, is_from_me: 1, dateMs: at(31), chatId: group });
  add('removed', { text: null, item_type: 1, group_action_type: 1, other_handle: carolSms, handle_id: alice, dateMs: at(32), chatId: group });
  add('left', { text: null, item_type: 3, group_action_type: 0, handle_id: bob, dateMs: at(33), chatId: group });
  add('photo', { text: null, item_type: 3, group_action_type: 1, handle_id: alice, dateMs: at(34), chatId: group });
  return { guids, chats, rowids };
}
