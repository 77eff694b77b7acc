// startApi: the gateway's lifecycle. Refuses a non-loopback bind unless
// api.allow_remote, reads chat.db through the daemon's handle, wires the live feed into SSE/WS,
// search and webhooks, backfills the search index in the background.
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ApiConfig } from '../config/schema.ts';
import type { ApiKit } from '../core/kit/api.ts';
import type { ChatDbHandle } from '../imessage/db/handle.ts';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { ChatCache } from './chatCache.ts';
import { apiContract, cachedNewestService } from './contract.ts';
import type { ApiContext } from './context.ts';
import type { Gateway, UpdateLog } from './gateway.ts';
import { isLoopbackHost } from './guards.ts';
import type { JsonContract } from './json.ts';
import { EventHub, type Subscription } from './live/hub.ts';
import { Metrics } from './metrics.ts';
import { defaultJson, openReader } from './reader.ts';
import { backfillSearch, readProcessesFor } from './search/backfill.ts';
import { SearchIndex } from './search/index.ts';
import { ChatSource, type MessageReader } from './source.ts';
import { TokenStore } from './tokens.ts';
import { WebhookDispatcher } from './webhooks/dispatcher.ts';
import { startWebhookFeed } from './webhooks/feed.ts';
import { WebhookQueue } from './webhooks/queue.ts';

export type { Gateway, UpdateLog } from './gateway.ts';

/**
 * Where `POST /v1/send` stages multipart uploads: `<bridge dir>/api-uploads`.
 * The daemon adds it to the sender's allowed file folders
 * (imessage.send.allowed_file_dirs), or API file sends are refused.
 */
export { apiUploadDir } from '../paths.ts';
import { apiUploadDir } from '../paths.ts';

export class ApiStartError extends Error {
  constructor(message: string, readonly advice: string) {
    super(message);
    this.name = 'ApiStartError';
  }
}

export interface StartApiOptions {
  config: ApiConfig;
  /** The process's chat.db handle (the daemon's; not closed by the API). */
  chatDb?: ChatDbHandle;
  /** Without `chatDb`: open a handle of the API's own on this path (tests, benches). */
  chatDbPath?: string;
  /** The Mac user's home: attachments are served only from <home>/Library/Messages/Attachments. */
  home: string;
  /** The API's own tables and the core state it shows, from the core (src/core/kit/api.ts): never the bridge database itself. */
  kit: ApiKit;
  gateway: Gateway;
  /**
   * The core's event log (BridgeCore.events). With it, SSE/WebSocket clients
   * and webhooks also get the updates they missed while away, and event ids
   * become `<rowid>:<seq>` (live/position.ts); without it, ROWIDs only.
   */
  eventLog?: UpdateLog;
  log: Logger;
  /** Overrides for tests and the demo; default: the foundation's reader and JSON contract. */
  reader?: MessageReader;
  json?: JsonContract;
  /** Rows per search-backfill transaction (tests). */
  searchBatch?: number;
  /** Read processes for the search backfill (default: none for a small backfill, else up to 2; never with an injected `reader`). */
  searchReaders?: number;
  /** Draw the backfill progress bar (when stderr is a TTY). Default true. */
  progress?: boolean;
  /** Called with the app before it listens (tests add a response-contract check). */
  onApp?: (app: FastifyInstance) => void;
}

export interface RunningApi {
  url: string;
  port: number;
  /** Resolves when the initial search backfill is done. */
  searchReady: Promise<{ indexed: number; seconds: number }>;
  stop(): Promise<void>;
}

export function checkBind(config: ApiConfig, log: Logger): void {
  if (isLoopbackHost(config.host)) return;
  if (!config.allow_remote) {
    throw new ApiStartError(`Refusing to bind the API to ${config.host}: only loopback is allowed by default.`,
      'Reach it through `ssh -N -L 8787:127.0.0.1:8787 mac` or Tailscale Serve, or set api.allow_remote: true if you really mean to expose it.');
  }
  log.warn({ host: config.host }, 'API bound to a non-loopback address (api.allow_remote: true): anyone who can reach it can try tokens. Prefer an ssh tunnel or Tailscale Serve.');
}

const dbIdentity = (path: string): string => {
  const real = realpathSync(path);
  return `${real}#${statSync(real).ino}`;
};

export async function startApi(opts: StartApiOptions): Promise<RunningApi> {
  const { config, log } = opts;
  checkBind(config, log);
  const chatDbPath = opts.chatDb?.path ?? opts.chatDbPath;
  if (chatDbPath === undefined) throw new Error('startApi needs chatDb or chatDbPath');
  const reader = opts.reader ?? opts.chatDb ?? openReader(chatDbPath, opts.home);
  const source = new ChatSource(reader, reader !== opts.chatDb);
  const json = apiContract(opts.json ?? defaultJson, cachedNewestService((chat) => source.page(chat, { limit: 1 })[0]?.service ?? null));
  const metrics = new Metrics();
  const hub = new EventHub(source, json, opts.gateway, opts.eventLog ?? null);
  const { storage } = opts.kit;
  const search = new SearchIndex(storage);
  const queue = new WebhookQueue(storage);
  const uploadDir = opts.kit.location === ':memory:' ? join(tmpdir(), `imb-api-uploads-${process.pid}`) : apiUploadDir(opts.kit.location);
  mkdirSync(uploadDir, { recursive: true, mode: 0o700 });
  const chats = new ChatCache(reader, opts.gateway);
  const tokens = new TokenStore(storage);
  const scheduled = opts.kit.scheduledSends({ enqueue: (intent) => opts.gateway.send(intent), log });
  const ctx: ApiContext = { config, home: opts.home, source, chats, json, gateway: opts.gateway, hub, search, tokens, scheduled, metrics, log, uploadDir };

  metrics.gauge('imb_webhook_queue_depth', 'Webhook deliveries waiting (pending).', () => queue.depth('pending'));
  metrics.gauge('imb_webhook_dead_total', 'Webhook deliveries parked after too many failures.', () => queue.depth('dead'));
  metrics.gauge('imb_outbox_queue_depth', 'Sends queued or in flight in the outbox.', () => opts.gateway.outboxDepth?.() ?? 0);
  metrics.gauge('imb_live_clients', 'Connected SSE/WebSocket clients and internal subscribers.', () => hub.clients);
  metrics.gauge('imb_search_indexed_messages', 'Messages in the search index.', () => search.count());
  const backfill = { through: 0, max: 0 };
  metrics.gauge('imb_search_backfill_through_rowid', 'The chat.db ROWID the search backfill has indexed through.', () => backfill.through);
  metrics.gauge('imb_search_backfill_target_rowid', 'The newest chat.db ROWID when the search backfill started (done when through ≥ target).', () => backfill.max);
  metrics.labeledGauge('imb_backfill_pending_messages', 'History lines queued for a portal and not posted yet, per connector.', () => Object.entries(opts.kit.backfillPending()).map(([connector, n]) => [{ connector }, n]));

  let stopped = false;
  const identity = dbIdentity(chatDbPath);
  const offEvents = opts.gateway.onEvent((env) => {
    metrics.events.inc({ type: env.event.type });
    if (env.event.type !== 'delivery' && env.event.message.date !== null) metrics.relayLatency.observe((Date.now() - env.event.message.date) / 1000);
    if (env.event.type === 'delivery' || !env.event.message.chatGuid) return;
    try {
      // An upsert by ROWID; it moves no mark (see SearchIndex.backfillThrough).
      search.apply([env.event.message]);
    } catch (err) {
      metrics.errors.inc({ code: 'search_index' });
      log.error({ err }, 'could not index a live message for search');
    }
  });

  const { app, dispose } = await buildApp(ctx);
  opts.onApp?.(app);
  const dispatcher = new WebhookDispatcher(queue, { targets: config.webhooks, backoffMs: config.webhook_backoff_ms, backoffMaxMs: config.webhook_backoff_max_ms, maxAttempts: config.webhook_max_attempts }, log, metrics);
  let webhookFeed: Subscription | null = null;
  if (config.webhooks.length > 0) {
    webhookFeed = await startWebhookFeed(storage, hub, queue, dispatcher, {
      urls: config.webhooks.map((w) => w.url),
      // Not past a row the core still holds (first start: "from now on").
      newestRowid: Math.min(reader.maxRowid(), opts.gateway.handledThrough()),
      updates: opts.eventLog ?? null,
    });
  }
  dispatcher.start();
  scheduled.start();

  // Read processes open chat.db themselves, so not with an injected reader (tests' spies, the demo's).
  // By rows, not the ROWID span: a sparse chat.db (restored, merged) has few rows over a wide span.
  const through = search.backfillThrough(identity);
  const readers = opts.reader ? 0 : opts.searchReaders ?? readProcessesFor(reader.countAfter?.(through) ?? reader.maxRowid() - through);
  const searchReady = backfillSearch(search, reader, {
    identity, progress: opts.progress ?? true, isStopped: () => stopped,
    onProgress: (through, max) => { backfill.through = through; backfill.max = max; },
    ...(readers > 0 ? { readers: { path: chatDbPath, home: opts.home, count: readers } } : {}),
    ...(opts.searchBatch ? { batch: opts.searchBatch } : {}),
  })
    .then((r) => { log.info({ indexed: r.indexed, readers, seconds: Math.round(r.seconds * 10) / 10 }, 'search index up to date'); return r; });
  searchReady.catch((err: unknown) => log.error({ err }, 'search backfill failed; search may miss older messages'));

  // Sockets that were upgraded (or refused an upgrade) are not tracked by the
  // HTTP server; track them all so stop() never waits on a lingering client.
  const sockets = new Set<import('node:net').Socket>();
  app.server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await app.listen({ host: config.host, port: config.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  log.info({ url }, 'API listening');

  return {
    url, port, searchReady,
    async stop() {
      if (stopped) return;
      stopped = true;
      offEvents();
      webhookFeed?.close();
      hub.close();
      dispose();
      await scheduled.stop();
      await dispatcher.stop();
      const closing = app.close();
      for (const s of sockets) s.destroy();
      await closing;
      await searchReady.catch(() => undefined);
      chats.close();
      tokens.flush();
      source.close();
    },
  };
}
