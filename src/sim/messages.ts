// Message rows as Messages inserts them: attachments first (file + row), then
// the message with its body in the version's columns, then the joins. The
// chat join can come in a later transaction, as it does on a real Mac.
import { toAppleDate } from './appleTime.ts';
import { writeAttachment, newGuid, type SimAttachmentSpec } from './attachments.ts';
import { bodyColumns, layout, partsOf, type BodyPart, type LaidOut } from './body.ts';
import { ensureHandle, type SimChat } from './chats.ts';
import { SimulatorError, type SimContext } from './context.ts';
import { loadMessage, partRange } from './lookup.ts';
import { PLAIN_SUMMARY_INFO } from './summaryInfo.ts';
import type { Row } from './tables.ts';

export interface SimMessage {
  rowid: number;
  guid: string;
  /** Settles once every delayed write of this message (join, flip) is in chat.db. */
  settled: Promise<void>;
}

export interface MessageSpec {
  chat: SimChat | null;
  /** Columns of this kind of row (is_from_me, handle_id, associated_*, …). */
  columns: Row;
  text?: string;
  attachments?: SimAttachmentSpec[];
  /** Overrides the body built from text + attachments (tapback stickers, app balloons). */
  parts?: BodyPart[];
  date?: Date;
  outgoing: boolean;
  /** Commit the chat join this much later, in its own transaction. */
  joinDelayMs?: number;
  /** No chat join at all (the macOS 26 ghost row). */
  noJoin?: boolean;
}

export interface Written { rowid: number; guid: string; date: bigint; laid: LaidOut }

const subMs = (): number => Number(process.hrtime.bigint() % 1_000_000n);

export function nowDate(ctx: SimContext, date?: Date): bigint {
  return toAppleDate(date ?? new Date(), ctx.traits.dateUnit, subMs());
}

function previousGuid(ctx: SimContext, chat: SimChat): string | null {
  return (ctx.db.prepare(`SELECT m.guid FROM chat_message_join j JOIN message m ON m.ROWID = j.message_id
    WHERE j.chat_id = ? ORDER BY j.message_date DESC, j.message_id DESC LIMIT 1`).pluck().get(chat.rowid) as string | undefined) ?? null;
}

function accountFor(ctx: SimContext, service: string): string {
  return service === 'SMS' ? `P:${ctx.me.handle}` : ctx.me.login;
}

export function writeMessage(ctx: SimContext, spec: MessageSpec): Written {
  const when = spec.date ?? new Date();
  const date = toAppleDate(when, ctx.traits.dateUnit, subMs());
  const guid = newGuid();
  const service = String(spec.columns.service ?? spec.chat?.service ?? 'iMessage');
  const written = ctx.db.transaction((): Written => {
    const atts = (spec.attachments ?? []).map((a) => writeAttachment({ home: ctx.home, table: ctx.t.attachment, outgoing: spec.outgoing, now: when }, a));
    const laid = layout(spec.parts ?? partsOf(spec.text, atts.map((a) => a.guid)));
    const body = bodyColumns(ctx.traits, laid);
    const rowid = ctx.t.message.insert({
      guid, ...body, handle_id: 0, service, account: accountFor(ctx, service), account_guid: ctx.me.accountGuid,
      version: 10, type: 0, error: 0, date, date_read: 0, date_delivered: 0,
      is_delivered: 0, is_finished: 1, is_from_me: 0, is_read: 0, is_sent: 0, is_empty: 0,
      cache_has_attachments: atts.length > 0 ? 1 : 0, is_audio_message: atts.some((a) => a.isAudio) ? 1 : 0,
      destination_caller_id: ctx.me.handle, reply_to_guid: spec.chat ? previousGuid(ctx, spec.chat) : null,
      part_count: Math.max(1, laid.ranges.length), sort_id: 0,
      // Every modern row carries the same small summary plist.
      message_summary_info: ctx.traits.bodyOnlyInAttributedBody ? PLAIN_SUMMARY_INFO : null,
      ...spec.columns,
    });
    for (const a of atts) ctx.t.messageAttachmentJoin.insert({ message_id: rowid, attachment_id: a.rowid });
    if (spec.chat && !spec.noJoin && !spec.joinDelayMs) joinChat(ctx, spec.chat.rowid, rowid, date);
    return { rowid, guid, date, laid };
  })();
  return written;
}

export function joinChat(ctx: SimContext, chatId: number, messageId: number, date: bigint): void {
  ctx.t.chatMessageJoin.insert({ chat_id: chatId, message_id: messageId, message_date: date });
}

export function senderHandle(ctx: SimContext, from: string, service: string): number {
  if (!from.trim()) throw new SimulatorError('bad_input', 'an incoming message needs a sender (from)', 'Pass from: "+15551234567" or an email.');
  return ensureHandle(ctx, from.trim(), service);
}

/** For our own rows Messages stores the recipient's handle in 1:1 chats and 0 in groups. */
export function myHandleId(ctx: SimContext, chat: SimChat | null): number {
  if (!chat || chat.isGroup || !chat.participants[0]) return 0;
  return ensureHandle(ctx, chat.participants[0], chat.service);
}

export function requireBody(text: string | undefined, attachments: SimAttachmentSpec[] | undefined, what: string): void {
  if ((text === undefined || text === '') && (!attachments || attachments.length === 0)) {
    throw new SimulatorError('bad_input', `${what} needs text or at least one attachment`, 'Pass text: "…" or attachments: [{ name: "photo.jpg" }].');
  }
}

/** A reply's thread_originator_part: `part:start:length` of the part replied to. */
export function threadPart(ctx: SimContext, targetGuid: string, part: number): string {
  const r = partRange(loadMessage(ctx, targetGuid), part);
  return `${part}:${r.lo}:${r.le}`;
}
