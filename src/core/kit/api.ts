// What the HTTP API gets from the core instead of the bridge database. The
// API is a daemon part, not a connector, but the rule is the same: it keeps
// its own tables (tokens and API state `api_*`, the search index `search_*`,
// the webhook queue `webhook_*`) through storage that refuses any other
// table, and reaches the core's state (scheduled sends, backfill progress)
// through the core's own objects.
import type { Logger } from 'pino';
import type { BridgeDb } from '../db/bridgeDb.ts';
import type { SendIntent, SendReceipt } from '../events.ts';
import { pendingByConnector } from '../backfill/progress.ts';
import { ScheduledSends } from '../outbox/scheduled.ts';
import { scopedStorage, type ConnectorStorage } from './storage.ts';

/** Prefixes of the tables the API owns (migrations 010–019). */
export const API_TABLES = ['api_', 'search_', 'webhook_'] as const;

export interface ApiKit {
  /** Storage for the API's own tables only. */
  readonly storage: ConnectorStorage;
  /** The bridge database's path (':memory:' in tests): the API keeps its uploads beside it. */
  readonly location: string;
  /** History lines queued for a portal and not posted yet, per connector (for /metrics). */
  backfillPending(): Record<string, number>;
  /** The core's scheduled sends; each due send is handed to `enqueue` (the API's gateway). */
  scheduledSends(o: { enqueue: (intent: SendIntent) => Promise<SendReceipt>; log: Logger }): ScheduledSends;
}

export function apiKit(db: BridgeDb): ApiKit {
  return {
    storage: scopedStorage(db, 'the API', API_TABLES),
    location: db.name,
    backfillPending: () => pendingByConnector(db),
    scheduledSends: (o) => new ScheduledSends({ db, ...o }),
  };
}
