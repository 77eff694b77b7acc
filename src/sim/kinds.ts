// The non-plain message kinds: tapbacks, group events, URL previews and
// iMessage-app balloons, each with the columns Messages uses for it.
import { resolveChat, type SimChat, ensureHandle } from './chats.ts';
import { requireColumn, SimulatorError, type SimContext } from './context.ts';
import { loadMessage, partRange, plainText } from './lookup.ts';
import { myHandleId, senderHandle, writeMessage, type Written } from './messages.ts';
import { appPayload, richLinkPayload } from './payload.ts';
import type { Row } from './tables.ts';

export type TapbackType = 'love' | 'like' | 'dislike' | 'laugh' | 'emphasize' | 'question' | 'emoji' | 'sticker';
const TAPBACKS: TapbackType[] = ['love', 'like', 'dislike', 'laugh', 'emphasize', 'question', 'emoji', 'sticker'];
const VERBS = ['Loved', 'Liked', 'Disliked', 'Laughed at', 'Emphasized', 'Questioned'];
const NOUNS = ['a heart', 'a like', 'a dislike', 'a laugh', 'an exclamation', 'a question mark'];

export interface TapbackOptions { from?: string; target: string; part?: number; type: TapbackType; emoji?: string; remove?: boolean }

/** Columns of a row written by `from`, or by me when omitted. */
function authorColumns(ctx: SimContext, chat: SimChat, from: string | undefined): Row {
  if (from === undefined) return { is_from_me: 1, handle_id: myHandleId(ctx, chat), is_sent: 1, is_finished: 1, is_delivered: 1 };
  return { is_from_me: 0, handle_id: senderHandle(ctx, from, chat.service), is_delivered: 1, is_finished: 1 };
}

export function tapback(ctx: SimContext, chatRef: SimChat | string, o: TapbackOptions): Written {
  const idx = TAPBACKS.indexOf(o.type);
  if (idx < 0) throw new SimulatorError('bad_input', `unknown tapback type ${JSON.stringify(o.type)}`, `Use one of ${TAPBACKS.join(', ')}.`);
  requireColumn(ctx, 'message', 'associated_message_type', 'tapbacks');
  if (o.type === 'emoji') {
    requireColumn(ctx, 'message', 'associated_message_emoji', 'emoji tapbacks');
    if (!o.emoji) throw new SimulatorError('bad_input', 'an emoji tapback needs an emoji', 'Pass emoji: "🎉".');
  }
  if (o.type === 'sticker' && !ctx.traits.stickerTapbacks) {
    throw new SimulatorError('unsupported', `sticker tapbacks do not exist on macOS ${ctx.version}`, 'Use version sonoma or newer.');
  }
  const chat = resolveChat(ctx, chatRef);
  const target = loadMessage(ctx, o.target);
  const part = o.part ?? 0;
  const range = partRange(target, part);
  const quoted = plainText(target) || 'an attachment';
  const text = o.remove
    ? `Removed ${o.type === 'emoji' ? o.emoji : o.type === 'sticker' ? 'a sticker' : NOUNS[idx]} from “${quoted}”`
    : o.type === 'emoji' ? `Reacted ${o.emoji} to “${quoted}”` : o.type === 'sticker' ? '' : `${VERBS[idx]} “${quoted}”`;
  const sticker = o.type === 'sticker' && !o.remove;
  return writeMessage(ctx, {
    chat, outgoing: o.from === undefined, text,
    ...(sticker ? { attachments: [{ name: 'sticker.heic', sticker: true, bytes: 2048 }] } : {}),
    columns: {
      ...authorColumns(ctx, chat, o.from),
      associated_message_guid: target.balloonBundleId ? `bp:${target.guid}` : `p:${part}/${target.guid}`,
      associated_message_type: (o.remove ? 3000 : 2000) + idx,
      associated_message_range_location: range.lo, associated_message_range_length: range.le,
      associated_message_emoji: o.type === 'emoji' ? o.emoji : null,
    },
  });
}

export type GroupEventType = 'renamed' | 'member_added' | 'member_removed' | 'member_left' | 'photo_changed';
export interface GroupEventOptions { type: GroupEventType; actor?: string; handle?: string; name?: string }

export function groupEvent(ctx: SimContext, chatRef: SimChat | string, o: GroupEventOptions): Written {
  const chat = resolveChat(ctx, chatRef);
  if (!chat.isGroup) throw new SimulatorError('bad_input', `${chat.guid} is not a group chat`, 'Group events happen only in chats created with group: true.');
  const needHandle = o.type === 'member_added' || o.type === 'member_removed';
  if (needHandle && !o.handle) throw new SimulatorError('bad_input', `${o.type} needs the member's handle`, 'Pass handle: "+15551234567".');
  if (o.type === 'renamed' && o.name === undefined) throw new SimulatorError('bad_input', 'renamed needs the new name', 'Pass name: "Trip planning".');
  const other = needHandle ? ensureHandle(ctx, o.handle!, chat.service) : 0;
  const [itemType, action] = ({ renamed: [2, 0], member_added: [1, 0], member_removed: [1, 1], member_left: [3, 0], photo_changed: [3, 1] } as const)[o.type];
  return ctx.db.transaction(() => {
    const w = writeMessage(ctx, {
      chat, outgoing: o.actor === undefined, parts: [],
      columns: { ...authorColumns(ctx, chat, o.actor), item_type: itemType, group_action_type: action, other_handle: other, group_title: o.type === 'renamed' ? o.name : null },
    });
    const leaving = o.type === 'member_removed' ? other : o.type === 'member_left' && o.actor ? ensureHandle(ctx, o.actor, chat.service) : 0;
    if (o.type === 'renamed') ctx.t.chat.update(chat.rowid, { display_name: o.name });
    if (o.type === 'member_added' && !ctx.db.prepare('SELECT 1 FROM chat_handle_join WHERE chat_id = ? AND handle_id = ?').get(chat.rowid, other)) {
      ctx.t.chatHandleJoin.insert({ chat_id: chat.rowid, handle_id: other });
    }
    if (leaving) ctx.db.prepare('DELETE FROM chat_handle_join WHERE chat_id = ? AND handle_id = ?').run(chat.rowid, leaving);
    return w;
  })();
}

export const URL_BALLOON = 'com.apple.messages.URLBalloonProvider';
export const APP_BALLOON_PREFIX = 'com.apple.messages.MSMessageExtensionBalloonPlugin';

export function urlPreview(ctx: SimContext, chatRef: SimChat | string, o: { from?: string; url: string }): Written {
  requireColumn(ctx, 'message', 'balloon_bundle_id', 'URL previews');
  const chat = resolveChat(ctx, chatRef);
  return writeMessage(ctx, {
    chat, outgoing: o.from === undefined, text: o.url,
    columns: { ...authorColumns(ctx, chat, o.from), balloon_bundle_id: URL_BALLOON, payload_data: richLinkPayload(o.url), was_data_detected: 1 },
  });
}

export function appMessage(ctx: SimContext, chatRef: SimChat | string, o: { from?: string; bundle: string; text?: string }): Written {
  requireColumn(ctx, 'message', 'balloon_bundle_id', 'iMessage app messages');
  const chat = resolveChat(ctx, chatRef);
  const bundle = o.bundle.startsWith(`${APP_BALLOON_PREFIX}:`) ? o.bundle : `${APP_BALLOON_PREFIX}:0000000000:${o.bundle}`;
  return writeMessage(ctx, {
    chat, outgoing: o.from === undefined, parts: [{ kind: 'text', text: '\uFFFC' }],
    columns: { ...authorColumns(ctx, chat, o.from), balloon_bundle_id: bundle, payload_data: appPayload(bundle, o.text) },
  });
}
