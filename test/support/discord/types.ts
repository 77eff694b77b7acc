// The fake's state, kept in Discord's own API shapes (snake_case) so payloads
// are built from it with little translation.
export interface ApiUser { id: string; username: string; discriminator: string; global_name: string | null; avatar: string | null; bot?: boolean }

export interface ApiRole { id: string; name: string; permissions: string; position: number; color: number; hoist: boolean; managed: boolean; mentionable: boolean; flags: number }

export interface ApiChannel {
  id: string; type: number; guild_id: string; name: string; position: number;
  parent_id: string | null; topic: string | null; permission_overwrites: unknown[]; nsfw: boolean;
  rate_limit_per_user: number; last_message_id: string | null;
  owner_id?: string; thread_metadata?: { archived: boolean; auto_archive_duration: number; archive_timestamp: string; locked: boolean };
  available_tags?: unknown[]; message_count?: number; member_count?: number;
}

export interface ApiAttachment { id: string; filename: string; size: number; url: string; proxy_url: string; content_type?: string }

export interface StoredMessage {
  id: string; channel_id: string; guild_id: string; author: ApiUser; content: string; timestamp: string;
  edited_timestamp: string | null; attachments: ApiAttachment[]; embeds: unknown[]; type: number;
  webhook_id?: string; message_reference?: { message_id: string; channel_id: string; guild_id: string };
  allowed_mentions?: unknown; mention_everyone: boolean; member?: { roles: string[] };
  /** emoji → user ids, in insertion order. */
  reactions: Map<string, Set<string>>;
  /** Attachment bytes, for GET of the attachment URL. */
  files: Map<string, Buffer>;
}

export interface StoredWebhook { id: string; token: string; channel_id: string; guild_id: string; name: string; application_id: string | null; type: 1 | 3 }

export interface HumanUser { user: ApiUser; roles: string[] }

export interface Interaction {
  id: string; token: string; channelId: string; userId: string;
  /** Callback bodies and followups, in order, as the user would see them. */
  responses: Array<{ type: number; data?: Record<string, unknown> }>;
  followups: StoredMessage[];
}
