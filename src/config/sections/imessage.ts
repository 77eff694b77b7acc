import { z } from 'zod';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { durationMs } from '../duration.ts';

export const imessageSection = z.object({
  /** Path of Messages' database. */
  chat_db: z.string().default(join(homedir(), 'Library/Messages/chat.db')),
  /** Fallback poll, so new rows never depend on file events alone. */
  poll_interval_ms: durationMs(100, 60_000).default(2000),
  /** Debounce for file events. */
  debounce_ms: durationMs(0, 5000).default(50),
  /** How far back (ms) rows are rescanned for edits, unsends, delivery and read. */
  rescan_window_ms: durationMs().default(10 * 60_000),
  /** How long a row without its chat join is waited for; after that it is skipped with a warning (no chat to relay it to). */
  orphan_retry_ms: durationMs().default(30_000),
  /** How long an is_from_me=0 row that looks like our pending send is held for its flip to is_from_me=1 (imsg #80). */
  flip_hold_ms: durationMs(0, 120_000).default(10_000),
  /** File events on chat.db/-wal/-shm; off means the poll alone finds new rows. */
  file_events: z.boolean().default(true),
  /** Region used to normalize phone numbers to E.164. */
  default_region: z.string().length(2).default('US'),
  /** Contacts (AddressBook) folder; names replace numbers in mirrors. */
  contacts_dir: z.string().default(join(homedir(), 'Library/Application Support/AddressBook')),
  /** Sending through osascript. */
  send: z.object({
    osascript: z.string().default('osascript'),
    timeout_ms: durationMs(1000).default(30_000),
    confirm_timeout_ms: durationMs(1000).default(20_000),
    /** Files outside these folders are refused for sending. */
    allowed_file_dirs: z.array(z.string()).default([]),
    max_file_bytes: z.number().int().positive().default(100 * 1024 * 1024),
  }).strict().prefault({}),
}).strict();
