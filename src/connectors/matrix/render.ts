// iMessage text → Matrix message content. Bot mode puts the sender's name in
// front (one account can't show per-sender names); links become clickable.
import { escapeHtml, hasLink, linkify } from './html.ts';

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
