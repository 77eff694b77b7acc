import { z } from 'zod';
import { connectorBackfillSection } from './backfill.ts';

export const matrixSection = z.object({
  homeserver_url: z.string().url(),
  /** Server name (the part after ':' in user ids). */
  homeserver_name: z.string().min(1),
  mode: z.enum(['bot', 'appservice']).default('bot'),
  /** Bot mode: the bot account's access token. */
  access_token: z.string().optional(),
  /** Matrix users invited to portals and allowed to send. */
  owners: z.array(z.string().regex(/^@[^:]+:.+$/, 'a Matrix user id like @alice:example.org')).min(1),
  allowed_users: z.array(z.string()).default([]),
  /** Chats mirrored: guid, handle in any form, glob, /regex/ or display name (same meaning as discord.mirrors). */
  mirrors: z.array(z.string()).default([]),
  /** `none` (default: nothing is mirrored unless listed), `all`, or more entries like `mirrors`. */
  auto_mirror: z.union([z.enum(['none', 'all']), z.array(z.string())]).default('none'),
  appservice: z.object({
    registration: z.string().default('imessage-registration.yaml'),
    bind_address: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).default(29330),
    url: z.string().url().optional(),
    as_token: z.string().optional(),
    hs_token: z.string().optional(),
    /** The appservice id in the registration (unique per homeserver). */
    id: z.string().min(1).default('imessage-bridge'),
    sender_localpart: z.string().default('imessagebot'),
    /** The bridge bot's display name, set at start. */
    bot_display_name: z.string().min(1).default('iMessage bridge'),
    /**
     * Ghost localpart prefix. Letters, digits and _ = - / only: the SDK reads the
     * prefix back from the registration's regex, where '.' would be escaped.
     */
    user_prefix: z.string().regex(/^[a-z0-9_=\-/]+$/, 'lowercase letters, digits and _ = - / only (e.g. _imessage_)').default('_imessage_'),
    /** owner mxid → access token, for double puppeting. */
    double_puppet: z.record(z.string(), z.string()).default({}),
  }).strict().prefault({}),
  data_dir: z.string().optional(),
  /**
   * A team's one Space, `!id:server` or `#alias:server`: the bridge joins it and
   * adds its portal rooms there instead of creating a Space of its own. The bot
   * must be invited and may add rooms (power for m.space.child).
   */
  space: z.string().regex(/^[!#][^:]+:.+$/, 'a Space room id (!abc:example.org) or alias (#team:example.org)').optional(),
  /** The name of the bridge's Space (when matrix.space is not set). */
  space_name: z.string().min(1).default('iMessage'),
  /** Overrides `bridge.backfill` for Matrix. */
  backfill: connectorBackfillSection.prefault({}),
}).strict();
