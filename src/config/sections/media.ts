import { z } from 'zod';
import { durationMs } from '../duration.ts';

/** bridge.media: making iPhone photos, voice messages and videos playable outside Apple's apps. */
export const mediaSection = z.object({
  /** Convert HEIC → JPEG, CAF voice → Ogg Opus, H.264 .mov → MP4. Off: every file is sent as it is. */
  convert: z.boolean().default(true),
  /** A conversion taking longer is killed and the original file is sent instead. */
  timeout_ms: durationMs(1000, 600_000).default(60_000),
  /** Larger files are not converted (sent as they are). */
  max_bytes: z.number().int().min(1).default(100 * 1024 * 1024),
  /** Where converted files are kept; default: media-cache next to bridge.database. */
  cache_dir: z.string().min(1).optional(),
  cache_max_bytes: z.number().int().min(0).default(1024 * 1024 * 1024),
  cache_max_age_days: z.number().min(0).default(30),
  /** Longest side of the thumbnail posted with a converted photo (Matrix). */
  thumbnail_size: z.number().int().min(32).max(2048).default(800),
}).strict();

export type MediaConfig = z.infer<typeof mediaSection>;
