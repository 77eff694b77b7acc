import { z } from 'zod';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const bridgeSection = z.object({
  /** The bridge's own database (portals, message map, cursors, outbox, audit). */
  database: z.string().default(join(homedir(), 'Library/Application Support/imessage-bridge/bridge.db')),
  log_level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  /** Keep the Mac awake with caffeinate while the bridge runs. */
  keep_awake: z.boolean().default(false),
}).strict();
