// Reading back a row the simulator (or another process's simulator) wrote,
// for the operations that update it in place.
import { storedText } from './body.ts';
import { SimulatorError, type SimContext } from './context.ts';

export interface StoredMessage {
  rowid: number;
  guid: string;
  /** The current body, U+FFFC placeholders included. */
  body: string;
  attachmentGuids: string[];
  summaryInfo: Buffer | null;
  date: bigint;
  isFromMe: boolean;
  balloonBundleId: string | null;
  chatId: number | null;
}

interface Raw { rowid: bigint; guid: string; text: string | null; attributedBody: Buffer | null; summary: Buffer | null; date: bigint | null; fromMe: bigint; balloon: string | null; chatId: bigint | null }

export function loadMessage(ctx: SimContext, guid: string): StoredMessage {
  const summaryCol = ctx.t.message.has('message_summary_info') ? 'message_summary_info' : 'NULL';
  const balloonCol = ctx.t.message.has('balloon_bundle_id') ? 'balloon_bundle_id' : 'NULL';
  const r = ctx.db.prepare(`SELECT ROWID AS rowid, guid, text, attributedBody, ${summaryCol} AS summary, date, is_from_me AS fromMe,
      ${balloonCol} AS balloon, (SELECT chat_id FROM chat_message_join WHERE message_id = message.ROWID LIMIT 1) AS chatId
    FROM message WHERE guid = ?`).safeIntegers(true).get(guid) as Raw | undefined;
  if (!r) throw new SimulatorError('not_found', `no message with guid ${guid} in the simulated chat.db`, 'Use the guid returned by receive(), sendFromMe() or the other writers.');
  const attachmentGuids = ctx.db.prepare(`SELECT a.guid FROM message_attachment_join j JOIN attachment a ON a.ROWID = j.attachment_id
    WHERE j.message_id = ? ORDER BY a.ROWID`).pluck().all(r.rowid) as string[];
  return {
    rowid: Number(r.rowid), guid: r.guid, body: storedText(r.text, r.attributedBody), attachmentGuids,
    summaryInfo: r.summary, date: r.date ?? 0n, isFromMe: r.fromMe === 1n, balloonBundleId: r.balloon,
    chatId: r.chatId === null ? null : Number(r.chatId),
  };
}

/** The current text of a message without attachment placeholders. */
export const plainText = (m: StoredMessage): string => m.body.replace(/\uFFFC/g, '');

/** The range of `part` in the body as Messages laid it out (attachments first, then text). */
export function partRange(m: StoredMessage, part: number): { lo: number; le: number } {
  const a = m.attachmentGuids.length;
  if (part < a) return { lo: part, le: 1 };
  return { lo: a, le: plainText(m).length };
}
