// The live core: chat.db rows become events, events reach every connector
// exactly once and in order (through the durable journal), and connectors'
// sends go back through the one outbox. Non-connector listeners (the API's
// SSE, its search indexer) subscribe with onEvent / onFate.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { ChatDbHandle } from '../imessage/db/handle.ts';
import { ChatDbWatcher, type WatcherOptions } from '../imessage/watch/index.ts';
import type { WatchBatch } from '../imessage/watch/types.ts';
import type { IMessage } from '../imessage/model.ts';
import type { ChatGuid } from '../ids.ts';
import type { Chat } from '../imessage/model.ts';
import { Backfiller } from './backfill/index.ts';
import { ChatCache } from './chats.ts';
import type { Connector, CoreHandle } from './connector.ts';
import type { BridgeDb } from './db/bridgeDb.ts';
import { DeliveryEngine } from './delivery/engine.ts';
import type { LaneOptions, LaneStats } from './delivery/lane.ts';
import { chatFromGuid, Mirroring } from './mirror/index.ts';
import { eventForChange, eventForNew, keysForNew } from './eventKeys.ts';
import { type EventEnvelope, type SendIntent, type SendReceipt } from './events.ts';
import { Outbox, type MessageSender } from './outbox/outbox.ts';
import { AuditLog } from './store/audit.ts';
import { DbCursorStore } from './store/cursors.ts';
import { EventLog } from './store/eventLog.ts';
import { OutboxStore } from './store/outboxStore.ts';
import { SendGate, type SendAsk } from './send/gate.ts';
import { CONNECTOR_SCOPE, type SendScope } from './send/policy.ts';
import { SendDesk } from './send/desk.ts';
import { bridgeStatus } from './status.ts';

export type WatchSettings = Pick<WatcherOptions, 'pollIntervalMs' | 'debounceMs' | 'rescanWindowMs' | 'orphanRetryMs' | 'fileEvents' | 'flipHoldMs' | 'home' | 'startAt'>;

export interface CoreOptions {
  db: BridgeDb;
  chatDbPath: string;
  /** The process's one chat.db handle (the daemon's); without it the watcher opens its own. */
  chatDb?: ChatDbHandle;
  sender: MessageSender;
  connectors: Connector[];
  log: Logger;
  watch: WatchSettings;
  confirmTimeoutMs: number;
  delivery?: Partial<LaneOptions>;
  /** Cursor name in the bridge database. */
  consumer?: string;
  /** `imessage.default_region`: national phone numbers in mirror rules. */
  region?: string;
}

export type { SendScope } from './send/policy.ts';

export class BridgeCore extends EventEmitter<{ event: [EventEnvelope, IMessage]; fate: [SendReceipt] }> {
  readonly events: EventLog;
  readonly audit: AuditLog;
  readonly outbox: Outbox;
  readonly watcher: ChatDbWatcher;
  /** History for new portals (src/core/backfill). */
  readonly backfill: Backfiller;
  private readonly engine: DeliveryEngine;
  private readonly chats: ChatCache;
  private readonly mirroring: Mirroring;
  private readonly gate: SendGate;
  private readonly desk: SendDesk;
  private readonly outboxStore: OutboxStore;
  private readonly cursors: DbCursorStore;
  private readonly consumer: string;
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: CoreOptions) {
    super();
    this.events = new EventLog(o.db);
    this.audit = new AuditLog(o.db);
    this.cursors = new DbCursorStore(o.db);
    this.consumer = o.consumer ?? 'core';
    this.mirroring = new Mirroring(o.db, o.connectors, o.region);
    this.engine = new DeliveryEngine(o.db, o.connectors, o.log, (c, env) => this.mirroring.isMirrored(c, env.event.chat), o.delivery);
    this.watcher = new ChatDbWatcher({
      ...o.watch, dbPath: o.chatDbPath, ...(o.chatDb ? { chatDb: o.chatDb } : {}), consumer: this.consumer, cursors: this.cursors, log: o.log,
      onBatch: (b) => this.onBatch(b),
      isOwnPendingSend: (m) => this.outbox.isOwnPendingSend(m),
      isKnown: (m) => keysForNew(m.guid).some((k) => this.events.has(k)),
      knownRetentionMs: this.keyRetentionMs(),
    });
    this.chats = new ChatCache(() => this.watcher.reader());
    this.backfill = new Backfiller({ db: o.db, connectors: o.connectors, reader: () => this.watcher.reader(), log: o.log });
    this.outboxStore = new OutboxStore(o.db);
    this.gate = new SendGate({ db: o.db, audit: this.audit, connectors: o.connectors, knownChat: (g) => this.chats.get(g), isMirrored: (c, chat) => this.mirroring.isMirrored(c, chat), log: o.log, ...(o.region ? { region: o.region } : {}) });
    this.outbox = new Outbox({ store: this.outboxStore, audit: this.audit, sender: o.sender, resolveChat: (g) => this.chats.get(g), confirmTimeoutMs: o.confirmTimeoutMs, log: o.log });
    this.desk = new SendDesk({ store: this.outboxStore, gate: this.gate, enqueue: (i) => this.outbox.enqueue(i), connectors: o.connectors, log: o.log });
    this.outbox.on('fate', (r) => this.onFateChange(r));
  }

  onEvent(cb: (env: EventEnvelope, raw: IMessage) => void): () => void {
    this.on('event', cb);
    return () => this.off('event', cb);
  }

  onFate(cb: (receipt: SendReceipt) => void): () => void {
    this.on('fate', cb);
    return () => this.off('fate', cb);
  }

  /** The chat as chat.db lists it, or, for one it doesn't (yet), what its guid or handle says. */
  chat(guidOrHandle: string): Chat {
    return this.chats.get(guidOrHandle) ?? chatFromGuid(guidOrHandle);
  }

  /** The one mirror policy (src/core/mirror): links by hand, then the connector's rules. */
  isMirrored(connector: string, chat: ChatGuid | Chat): boolean {
    try { return this.mirroring.isMirrored(connector, typeof chat === 'string' ? this.chat(chat) : chat); } catch { return false; }
  }

  /** What a connector gets: sends under the connector rule of the send policy, the mirror policy, its send ledger. */
  handle(): CoreHandle {
    return {
      send: async (intent) => this.send(intent, CONNECTOR_SCOPE),
      check: (ask) => { this.gate.check(ask, CONNECTOR_SCOPE); },
      sentFrom: (origin) => this.desk.sentFrom(origin),
      filesInUse: () => this.desk.filesInUse(),
      status: () => this.status(),
      note: (from, chat, detail) => this.audit.record({ connector: from.connector, userId: from.userId, userName: from.displayName, action: 'note', chatGuid: chat, detail: { note: detail }, result: 'kept' }),
      isMirrored: (c, chat) => this.isMirrored(c, chat),
      setMirrored: (c, chat, mirrored) => this.mirroring.setByHand(c, chat, mirrored),
    };
  }

  /** The one way to send, for every origin (src/core/send/desk.ts). */
  async send(intent: SendIntent, scope: SendScope): Promise<SendReceipt> {
    return this.desk.send(intent, scope);
  }

  /** The send policy alone, under `scope` (the API checks a scheduled send before storing it). */
  check(ask: SendAsk, scope: SendScope): void {
    this.gate.check(ask, scope);
  }

  /** Is the chat mirrored to any connector? */
  isMirroredAnywhere(chat: ChatGuid): boolean {
    try { return this.mirroring.anywhere(this.chat(chat)); } catch { return false; }
  }

  status(): Record<string, unknown> {
    return bridgeStatus(this.o.db);
  }

  /** The shape the API gateway consumes (src/api/gateway.ts): sends under the API's own scope (`api.send_restriction`). */
  gateway(scope: SendScope): {
    send(i: SendIntent): Promise<SendReceipt>; check(ask: SendAsk): void; fate(id: string): SendReceipt | null; onFate(cb: (r: SendReceipt) => void): () => void;
    onEvent(cb: (env: EventEnvelope) => void): () => void; isMirrored(chat: ChatGuid): boolean; handledThrough(): number; outboxDepth(): number;
  } {
    return {
      // Saved with its batch before the batch's events are emitted: rows <= it are out or skipped.
      handledThrough: () => this.cursors.load(this.consumer)?.rowid ?? 0,
      send: (intent) => this.send(intent, scope),
      check: (ask) => this.check(ask, scope),
      fate: (id) => this.outbox.receipt(id),
      onFate: (cb) => this.onFate(cb),
      onEvent: (cb) => this.onEvent((env) => cb(env)),
      isMirrored: (chat) => this.isMirroredAnywhere(chat),
      outboxDepth: () => { const c = this.outboxStore.counts(); return c.queued + c.sending; },
    };
  }

  deliveryStats(): LaneStats[] {
    return this.engine.stats();
  }

  async start(): Promise<void> {
    // Crash recovery first: once the watcher or a connector runs, `sending` means a send of this run.
    this.outbox.recover();
    await this.watcher.start();
    for (const c of this.o.connectors) {
      try {
        await c.start(this.handle());
      } catch (err) {
        this.o.log.error({ err, connector: c.id }, 'connector failed to start; its events wait in its queue');
      }
    }
    this.engine.start();
    this.outbox.start();
    this.pruneTimer = setInterval(() => this.prune(), 10 * 60_000);
    this.pruneTimer.unref();
  }

  /** Stop accepting sends, stop reading, drain in-flight deliveries, stop connectors. The caller closes the db. */
  async stop(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.outbox.stop();
    await this.watcher.stop();
    await this.engine.stop();
    for (const c of this.o.connectors) {
      try { await c.stop(); } catch (err) { this.o.log.warn({ err, connector: c.id }, 'connector did not stop cleanly'); }
    }
  }

  private onBatch(b: WatchBatch): void {
    const emitted: [EventEnvelope, IMessage][] = [];
    this.o.db.transaction(() => {
      for (const item of b.items) {
        const m = item.message;
        // A chatless row may still get its join (and text): it is judged a ghost only once we stop waiting.
        if (item.type === 'orphan') { this.outbox.noteChatless(m); continue; }
        if (item.type === 'orphan_expired') { this.outbox.observe(m); continue; }
        if (m.kind === 'group_event' && m.chatGuid) this.chats.forget(m.chatGuid);
        const chat = m.chatGuid ? this.chats.get(m.chatGuid) : null;
        if (!chat) { this.o.log.warn({ guid: m.guid, chat: m.chatGuid }, 'message in a chat chat.db does not list; skipped'); continue; }
        let keyed;
        let except: string | null = null;
        if (item.type === 'new') {
          const mine = this.outbox.observe(m);
          if (mine) except = mine.intent.origin?.connector ?? mine.intent.from.connector;
          keyed = eventForNew(m, chat, mine ? mine.intent.from : null);
        } else {
          if (item.change === 'failed' || item.change === 'from_me') this.outbox.observe(m);
          keyed = eventForChange(item, chat);
        }
        if (!keyed) continue;
        // A connector about to open this chat's portal gets its history first (lower seqs: delivered before this event).
        if (item.type === 'new' && !this.events.has(keyed.key)) this.backfill.beforeLive(keyed.event, chat, m.rowid, (c) => c.id !== except && this.isMirrored(c.id, chat));
        const env = this.events.append(keyed.key, chat.guid, keyed.event);
        if (!env) continue;
        this.engine.enqueue(env, except);
        emitted.push([env, m]);
      }
      this.cursors.save(this.consumer, b.cursor, b.identity);
    })();
    this.outbox.flushFates();
    if (emitted.length > 0) this.engine.wake();
    for (const [env, m] of emitted) {
      try { this.emit('event', env, m); } catch (err) { this.o.log.error({ err, key: env.key }, 'an event listener threw'); }
    }
  }

  /** Listeners (the API) see every change; the origin each stage once (src/core/send/desk.ts). */
  private onFateChange(r: SendReceipt): void {
    try { this.emit('fate', r); } catch (err) { this.o.log.error({ err }, 'a fate listener threw'); }
    void this.desk.fateChanged(r);
  }

  /** Keys must outlive the rescan window (they dedupe re-read rows); keep days for SSE replay. A resync looks no further back. */
  private keyRetentionMs(): number {
    return Math.max(3 * 24 * 3600_000, 2 * this.o.watch.rescanWindowMs);
  }

  private prune(): void {
    try {
      const now = Date.now();
      this.engine.journal.pruneDone(now - 60 * 60_000);
      this.events.prune(now - this.keyRetentionMs());
    } catch (err) {
      this.o.log.warn({ err }, 'pruning the delivery journal failed');
    }
  }
}
