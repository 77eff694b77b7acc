// iMessage text → Matrix message content. Bot mode puts the sender's name in
// front (one account can't show per-sender names); links become clickable.
import { escapeHtml, hasLink, linkify } from './html.ts';
import { splitText } from '../../core/presentation/index.ts';

/** Marks events the bridge itself posted, so double-puppeted echoes are never relayed back. */
export const BRIDGE_MARK = 'org.imessage_bridge.source';

export function textContent(text: string, label: string | null, msgtype = 'm.text'): Record<string, unknown> {
  const body = label ? `${label}: ${text}` : text;
  const content: Record<string, unknown> = { msgtype, body, [BRIDGE_MARK]: true };
  if (label || hasLink(text) || text.includes('\n')) {
    content.format = 'org.matrix.custom.html';
    content.formatted_body = label ? `<strong>${escapeHtml(label)}</strong>: ${linkify(text)}` : linkify(text);
  }
  return content;
}

/**
 * Matrix refuses an event over 65,536 bytes: the whole signed event JSON,
 * envelope included. A text chunk's content is kept under this budget, so
 * that even its edit (the content twice: the fallback and m.new_content) fits
 * with room to spare for the envelope (ids, hashes, signatures, about 1 kB).
 */
export const CHUNK_CONTENT_BYTES = 28_000;
/** msgtype, format, the bridge mark and JSON punctuation around body and formatted_body. */
const CONTENT_OVERHEAD_BYTES = 200;

/** UTF-8 bytes of `s` inside a JSON string (quotes, backslashes and control characters escaped). */
const jsonBytes = (s: string): number => Buffer.byteLength(JSON.stringify(s), 'utf8') - 2;

/**
 * An upper bound on what one grapheme adds to a text content: its bytes in
 * body, plus twice its bytes in formatted_body (escaped, newlines as <br>), as
 * a link's text is written twice there (href and label).
 */
export function graphemeContentBytes(g: string): number {
  return jsonBytes(g) + 2 * jsonBytes(linkify(g));
}

/**
 * A text cut into chunks whose contents each fit CHUNK_CONTENT_BYTES, through
 * the core's grapheme-safe splitter (the same one Discord uses), so no emoji
 * is ever cut in two. Bot mode's label is repeated on every chunk.
 */
export function textChunks(text: string, label: string | null, budget = CHUNK_CONTENT_BYTES - CONTENT_OVERHEAD_BYTES): string[] {
  const labelBytes = label ? jsonBytes(label) + jsonBytes(escapeHtml(label)) + 40 : 0;
  const chunks = splitText(text, budget - labelBytes, graphemeContentBytes);
  // Dense links cost a few bytes more than the bound (href="https://" for www.): such a chunk is split again, smaller.
  return chunks.flatMap((c) => contentBytes(textContent(c, label)) <= CHUNK_CONTENT_BYTES ? [c] : textChunks(c, label, Math.floor(budget * 0.75)));
}

const contentBytes = (content: Record<string, unknown>): number => Buffer.byteLength(JSON.stringify(content), 'utf8');

export function noticeContent(text: string): Record<string, unknown> {
  return { msgtype: 'm.notice', body: text, [BRIDGE_MARK]: true };
}

/** An m.replace edit of an earlier message, showing "* new" to old clients. */
export function editContent(eventId: string, text: string, label: string | null): Record<string, unknown> {
  const fresh = textContent(text, label);
  const content: Record<string, unknown> = {
    ...fresh,
    body: `* ${fresh.body as string}`,
    'm.new_content': { ...fresh },
    'm.relates_to': { rel_type: 'm.replace', event_id: eventId },
  };
  if (typeof fresh.formatted_body === 'string') content.formatted_body = `* ${fresh.formatted_body}`;
  return content;
}

export function withReply(content: Record<string, unknown>, eventId: string | null): Record<string, unknown> {
  return eventId ? { ...content, 'm.relates_to': { 'm.in_reply_to': { event_id: eventId } } } : content;
}

/** The part index iMessage gives a message's text: the first one not taken by an attachment. */
export function textPartOf(attachmentParts: number[]): number {
  let p = 0;
  while (attachmentParts.includes(p)) p++;
  return p;
}
