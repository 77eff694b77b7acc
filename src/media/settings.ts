// The converter's settings, from config `bridge.media` (src/config/sections/media.ts).
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mediaSection, type MediaConfig } from '../config/sections/media.ts';

export interface MediaSettings {
  convert: boolean;
  timeoutMs: number;
  maxBytes: number;
  cacheDir: string;
  cacheMaxBytes: number;
  cacheMaxAgeMs: number;
  thumbnailMaxSide: number;
}

/** `databasePath` (bridge.database) places the cache next to the bridge's data when cache_dir is not set. */
export function mediaSettings(config: Partial<MediaConfig> = {}, databasePath?: string): MediaSettings {
  const c = mediaSection.parse(config);
  return {
    convert: c.convert,
    timeoutMs: c.timeout_ms,
    maxBytes: c.max_bytes,
    cacheDir: c.cache_dir ?? (databasePath ? join(dirname(databasePath), 'media-cache') : join(tmpdir(), 'imessage-bridge-media-cache')),
    cacheMaxBytes: c.cache_max_bytes,
    cacheMaxAgeMs: c.cache_max_age_days * 86_400_000,
    thumbnailMaxSide: c.thumbnail_size,
  };
}
