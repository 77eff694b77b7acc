import { z } from 'zod';
import { discordBackfillSection } from './backfill.ts';

export const discordSection = z.object({
  token: z.string().min(1),
  guild_id: z.string().regex(/^\d{17,20}$/, 'a Discord snowflake id'),
  /** REST base for a self-hosted/local Discord (tests); discord.js appends /v10. */
  api_url: z.string().url().optional(),
  /** `channels`: a text channel per chat in `category`; `forum`: one post per chat in `forum_channel`. */
  mode: z.enum(['channels', 'forum']).default('channels'),
  category_name: z.string().default('iMessage'),
  forum_channel_name: z.string().default('imessage-inbox'),
  /** The slash command (`/imessage`); namespaced by `bridge.name` so a team's bridges don't collide. */
  command_name: z.string().regex(/^[-_\p{Ll}\p{N}]{1,32}$/u, 'a Discord command name: 1–32 lowercase letters, digits, - or _').default('imessage'),
  /** `none` (default: nothing is mirrored unless listed), `all`, or more entries like `mirrors`. */
  auto_mirror: z.union([z.enum(['none', 'all']), z.array(z.string())]).default('none'),
  /** Chats mirrored: guid, handle in any form, glob, /regex/ or display name (src/core/mirror/policy.ts). */
  mirrors: z.array(z.string()).default([]),
  /** Who may send into iMessage. */
  allowed_users: z.array(z.string()).default([]),
  allowed_roles: z.array(z.string()).default([]),
  /** Internal-note prefix (team mode). */
  note_prefix: z.string().default('//'),
  /** Sign sent texts with "— Name". */
  signature: z.boolean().default(false),
  max_upload_bytes: z.number().int().positive().default(25 * 1024 * 1024),
  max_outbound_file_bytes: z.number().int().positive().default(25 * 1024 * 1024),
  /** An unsent iMessage: `mark` strikes it through (keeps context for a team), `delete` removes it. */
  unsend_action: z.enum(['delete', 'mark']).default('mark'),
  /** Tapbacks as Discord reactions where the reactor is unambiguous (1:1), or always as a short line. */
  tapbacks: z.enum(['reactions', 'lines']).default('reactions'),
  /** Overrides `bridge.backfill` for Discord, plus the posting pace. */
  backfill: discordBackfillSection.prefault({}),
}).strict();
