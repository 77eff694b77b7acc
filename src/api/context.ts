// Everything a route needs, built once by startApi and passed explicitly.
import type { Logger } from 'pino';
import type { ApiConfig } from '../config/schema.ts';
import type { ScheduledSends } from '../core/outbox/scheduled.ts';
import type { ChatCache } from './chatCache.ts';
import type { Gateway } from './gateway.ts';
import type { JsonContract } from './json.ts';
import type { EventHub } from './live/hub.ts';
import type { Metrics } from './metrics.ts';
import type { SearchIndex } from './search/index.ts';
import type { ChatSource } from './source.ts';
import type { TokenStore } from './tokens.ts';

export interface ApiContext {
  config: ApiConfig;
  home: string;
  source: ChatSource;
  /** Chat lookups, cached and dropped on every bridge event. */
  chats: ChatCache;
  json: JsonContract;
  gateway: Gateway;
  hub: EventHub;
  search: SearchIndex;
  tokens: TokenStore;
  /** Sends kept for later (POST /v1/send with send_at). */
  scheduled: ScheduledSends;
  metrics: Metrics;
  log: Logger;
  /** Where multipart uploads are staged before the outbox takes them. */
  uploadDir: string;
}
