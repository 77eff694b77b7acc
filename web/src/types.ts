// The gateway's JSON contract, as the web client reads it.
export interface AttachmentJson { path: string | null; mime_type: string | null; transfer_name: string | null; size: number }
export interface ReactionJson { type: string; emoji: string | null; target_guid: string; target_part: number; removed: boolean }
export interface MessageJson {
  rowid: number; guid: string; chat_guid: string | null; from_me: boolean; sender: string; sender_name?: string;
  service: string; date: string | null; text: string; attachments: AttachmentJson[];
  reaction: ReactionJson | null; reply_to: { guid: string; part: number } | null;
  edited_at: string | null; edits: string[]; unsent: boolean;
  event: { type: string; name?: string; handle?: string; actor?: string } | null; error: number;
}
export interface ChatJson {
  guid: string; service: string; display_name: string | null; name?: string; is_group: boolean;
  participants: string[]; last_message_at: string | null;
}
export interface Fate { state: 'queued' | 'sending' | 'sent' | 'failed' | 'unknown'; reason?: string; message_guid?: string; code?: string }
