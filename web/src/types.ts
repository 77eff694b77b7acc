// The gateway's JSON contract, as the web client reads it: the typed client's
// names (src/client/types.ts, generated from /v1/openapi.json), so the web
// client cannot drift from the API. `name`, `participant_names` and
// `sender_name` are Contacts names the gateway may add; without them the
// client falls back to handles.
import type { Attachment, Chat, Fate as ApiFate, FateFrame, LiveEvent, Message, OutboxItem } from '../../src/client/types.ts';

export type AttachmentJson = Attachment;
export type MessageJson = Message;
export type ChatJson = Chat;
/** A send's fate, exactly as GET /v1/outbox/{id} reports it. */
export type Fate = ApiFate;
export type Receipt = OutboxItem;
/** An `event: fate` frame of GET /v1/events: a fate of one of this token's own sends. */
export type FateFrameJson = FateFrame;
/** One frame of GET /v1/events. */
export type LiveEventJson = LiveEvent;

/** A search hit as the UI lists it (flattened from the API's {snippet, message, chat}). */
export interface SearchHit {
  rowid: number; guid: string; date: number | string | null; sender: string; snippet: string;
  chat: ChatJson | { guid: string };
}
