// Which outbox entry a chat.db row belongs to. Messages gives no handle on a
// send, so the row is recognized by its chat, its text (or attachment name),
// first in first out: two identical texts are confirmed in the order queued.
import { cleanText } from '../../imessage/send/validate.ts';
import type { IMessage } from '../../imessage/model.ts';
import type { OutboxEntry } from '../store/outboxStore.ts';

/** NFC, trimmed, and as the sender hands it to osascript (NUL removed, lone surrogates as U+FFFD: src/imessage/send/validate.ts), so the row it writes matches. */
export const normalizeText = (s: string): string => cleanText(s).text.normalize('NFC').trim();

/** `iMessage;-;+1555…` and `any;-;+1555…` and `+1555…` are the same conversation. */
export const chatIdentifier = (guidOrHandle: string): string => guidOrHandle.split(';').at(-1) ?? guidOrHandle;

/** Rows dated this much before the entry was queued cannot be it (clock slack). */
const CLOCK_SLACK_MS = 5_000;

export const isGhostRow = (m: IMessage): boolean =>
  m.chatGuid === null && normalizeText(m.text) === '' && m.attachments.length === 0 && m.kind === 'text';

function sameChat(m: IMessage, e: OutboxEntry): boolean {
  return m.chatGuid !== null && chatIdentifier(m.chatGuid) === chatIdentifier(e.intent.chatGuid);
}

function inWindow(m: IMessage, e: OutboxEntry): boolean {
  return m.date === null || m.date >= e.createdAt - CLOCK_SLACK_MS;
}

export function contentMatches(m: IMessage, e: OutboxEntry): boolean {
  const text = e.intent.text === undefined ? '' : normalizeText(e.intent.text);
  if (text !== '' && normalizeText(m.text) === text) return true;
  const name = e.intent.file?.name;
  return name !== undefined && name !== '' && m.attachments.some((a) => a.transferName === name);
}

/** The oldest candidate this row confirms, or null. */
export function findEntry(m: IMessage, candidates: OutboxEntry[]): OutboxEntry | null {
  // Judged when the row's wait for a chat ends, by which time the send may have timed out to `unknown`.
  if (isGhostRow(m)) return candidates.find((e) => (e.state === 'sending' || e.state === 'unknown') && inWindow(m, e)) ?? null;
  return candidates.find((e) => sameChat(m, e) && inWindow(m, e) && contentMatches(m, e)) ?? null;
}
