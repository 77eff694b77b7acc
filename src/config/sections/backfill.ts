import { z } from 'zod';

/** `bridge.backfill`: history a new portal starts with. */
export const backfillSection = z.object({
  /** The chat's last N messages; 0 turns backfill off. */
  messages: z.number().int().min(0).max(10_000).default(50),
  /** Leave out messages older than this. */
  max_age_days: z.number().positive().default(30),
}).strict();

/** `discord.backfill` / `matrix.backfill`: the same keys, each falling back to `bridge.backfill`. */
export const connectorBackfillSection = z.object({
  messages: z.number().int().min(0).max(10_000).optional(),
  max_age_days: z.number().positive().optional(),
}).strict();

/** Discord adds the pace: history posts per minute per channel (Discord allows about 30). */
export const discordBackfillSection = connectorBackfillSection.extend({
  posts_per_minute: z.number().positive().default(30),
}).strict();
