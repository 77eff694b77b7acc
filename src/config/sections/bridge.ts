import { z } from 'zod';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { backfillSection } from './backfill.ts';
import { mediaSection } from './media.ts';
import { bridgeSlug } from '../../core/presentation/namespace.ts';

export const bridgeSection = z.object({
  /**
   * This bridge's name in places shared with a team's other bridges (one per
   * Mac): Discord category, forum and slash command, Matrix appservice id, bot
   * and ghost prefix (src/core/presentation/namespace.ts). Unset: the
   * single-bridge names. Keys set explicitly in discord/matrix still win.
   */
  name: z.string().trim().min(1).max(40).refine((s) => bridgeSlug(s) !== '', 'needs at least one letter or digit').optional(),
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
