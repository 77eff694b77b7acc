import { z } from 'zod';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { backfillSection } from './backfill.ts';
import { mediaSection } from './media.ts';

export const bridgeSection = z.object({
  /** The bridge's own database (portals, message map, cursors, outbox, audit). */
  database: z.string().default(join(homedir(), 'Library/Application Support/imessage-bridge/bridge.db')),
  log_level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  /** Keep the Mac awake with caffeinate while the bridge runs. */
  keep_awake: z.boolean().default(false),
  /** History for new portals: the last `messages` within `max_age_days` (see src/core/backfill). */
  backfill: backfillSection.prefault({}),
  /** Converting iPhone media (HEIC, CAF voice, QuickTime) into what every side can show (see src/media). */
  media: mediaSection.prefault({}),
}).strict();
