// The gateway's JSON contract, as the web client reads it (see
// src/imessage/json.ts and src/api/routes/*.ts). `name`, `participant_names`
// and `sender_name` are Contacts names the gateway may add; without them the
// client falls back to handles.
export interface AttachmentJson { path: string | null; mime_type: string | null; transfer_name: string | null; size: number; uti?: string | null; is_sticker?: boolean }
export interface ReactionJson { type: string; emoji: string | null; target_guid: string; target_part: number; removed: boolean }
export interface MessageJson {
  rowid: number; guid: string; chat_guid: string | null; from_me: boolean; sender: string; sender_name?: string;
  service: string; date: string | null; text: string; attachments: AttachmentJson[];
  reaction: ReactionJson | null; reply_to: { guid: string; part: number } | null;
  edited_at: string | null; edits: string[]; unsent: boolean;
  event: { type: string; name?: string; handle?: string; actor?: string } | null; error: number;
  kind?: string; is_delivered?: boolean; is_read?: boolean; read_at?: string | null; delivered_at?: string | null;
}
export interface ChatJson {
  guid: string; service: string; display_name: string | null; name?: string; participant_names?: string[];
  is_group: boolean; participants: string[]; last_message_at: string | null;
}
/** A send's fate, exactly as GET /v1/outbox/{id} reports it. */
export type Fate =
  | { state: 'queued' | 'sending' }
  | { state: 'sent'; messageGuid: string }
  | { state: 'failed'; code: string; reason: string }
  | { state: 'unknown'; reason: string };
export interface Receipt { id: string; chat: string; fate: Fate }
/** An `event: fate` frame of GET /v1/events: a fate of one of this token's own sends. */
export type FateFrameJson = Fate & { id: string };
export interface SearchHit {
  rowid: number; guid: string; date: number | string | null; sender: string; snippet: string;
  chat: ChatJson | { guid: string };
}
/** One frame of GET /v1/events. */
export interface LiveEventJson {
  type: 'message' | 'reaction' | 'edit' | 'unsend' | 'group_event' | 'delivery';
  id: number | null; key: string; chat: ChatJson; message: MessageJson; status?: string;
}
