// The core's backfill: when a connector is about to create a chat's portal
// (its first live message there), the chat's history is planned and logged as
// envelopes with their own keys, journaled for that connector only, in the
// same transaction as the live event that comes right after them. The lanes
// then deliver history exactly like live events: exactly once, in seq order
// per chat, so the chat's live rows queue behind its history and other chats
// never wait for it.
import type { Logger } from 'pino';
import type { ChatDb } from '../../imessage/db/index.ts';
import type { Chat } from '../../imessage/model.ts';
import type { BridgeDb } from '../db/bridgeDb.ts';
import type { BridgeEvent } from '../events.ts';
import { DeliveryJournal } from '../store/deliveries.ts';
import { EventLog } from '../store/eventLog.ts';
import { MessageMap } from '../store/messageMap.ts';
import type { Connector } from '../connector.ts';
import type { BackfillLimits } from './plan.ts';
import { readHistory } from './read.ts';
import { BackfillStore, type RunProgress } from './store.ts';
import { takesHistory, type HistoryTarget } from './types.ts';

export interface BackfillerOptions {
  db: BridgeDb;
  connectors: Connector[];
  reader: () => ChatDb | null;
  log: Logger;
  now?: () => number;
}

export interface QueuedRun { run: number; total: number }

/** Live events that make a connector create the chat's portal. */
const opensPortal = (e: BridgeEvent): boolean => e.type === 'message' || e.type === 'group_event';

export class Backfiller {
  readonly runs: BackfillStore;
  private readonly events: EventLog;
  private readonly journal: DeliveryJournal;
  private readonly map: MessageMap;

  constructor(private readonly o: BackfillerOptions) {
    this.runs = new BackfillStore(o.db);
    this.events = new EventLog(o.db);
    this.journal = new DeliveryJournal(o.db);
    this.map = new MessageMap(o.db);
  }

  /**
   * Call inside the watcher batch's transaction, before a new live event is
   * logged: for each connector that will get it, takes history, and has
   * neither a portal for the chat nor an earlier run, queue the history of
   * the rows before `beforeRowid`. Returns whether anything was queued.
   */
  beforeLive(event: BridgeEvent, chat: Chat, beforeRowid: number, receives: (c: Connector) => boolean): boolean {
    if (!opensPortal(event)) return false;
    let queued = false;
    for (const c of this.o.connectors) {
      if (!takesHistory(c) || this.runs.hasRun(c.id, chat.guid) || this.runs.hasPortal(c.id, chat.guid) || !receives(c)) continue;
      try {
        queued = this.queue(c.id, c.backfill, chat, 'portal', { beforeRowid }).total > 0 || queued;
      } catch (err) {
        // History is a courtesy: a chat.db read failing here must not hold up the live event.
        this.o.log.warn({ err, connector: c.id, chat: chat.guid }, 'planning the history for a new portal failed; the portal starts empty');
      }
    }
    return queued;
  }

  /**
   * Plan and journal one run. `skipPosted`: leave out messages this connector
   * already shows (existing portals). The run row, envelopes and journal rows
   * commit together.
   */
  queue(connector: string, limits: BackfillLimits, chat: Chat, into: HistoryTarget, o: { beforeRowid?: number; skipPosted?: boolean } = {}): QueuedRun {
    const reader = this.o.reader();
    if (!reader) throw new Error('chat.db is not open yet');
    let items = readHistory(reader, chat.guid, limits, (this.o.now ?? Date.now)(), o.beforeRowid);
    if (o.skipPosted) items = items.filter((h) => this.map.remotes(connector, h.message.guid).length === 0);
    return this.o.db.transaction((): QueuedRun => {
      const run = this.runs.create(connector, chat.guid, into, items.length);
      let first: number | null = null;
      let last = 0;
      items.forEach((h, index) => {
        const env = this.events.append(`history:${connector}:${run}:${h.message.guid}`, chat.guid, {
          type: 'history', chat, message: h.message,
          history: { run, index, total: items.length, into, reactions: h.reactions, edited: h.edited, unsent: h.unsent },
        });
        if (!env) return;
        this.journal.enqueue(connector, env.seq, chat.guid);
        first ??= env.seq;
        last = env.seq;
      });
      if (first !== null) this.runs.setRange(run, first, last);
      if (items.length > 0) this.o.log.info({ connector, chat: chat.guid, run, messages: items.length, into }, 'history queued for a portal');
      return { run, total: items.length };
    })();
  }

  /**
   * `imessage-bridge backfill` on a connector that can show history beside an
   * existing portal honestly (Discord: an "Earlier messages" thread): the
   * lines the portal doesn't show yet.
   */
  queueMissing(connector: string, limits: BackfillLimits, chat: Chat): QueuedRun {
    return this.queue(connector, limits, chat, 'thread', { skipPosted: true });
  }

  /**
   * `imessage-bridge backfill --recreate` (Matrix: events can't go before
   * existing ones): forget the portal so the next delivery opens a new one,
   * which starts with the history. `replaced` is the old portal's remote id.
   */
  recreate(connector: string, limits: BackfillLimits, chat: Chat): QueuedRun & { replaced: string | null } {
    return this.o.db.transaction(() => {
      const replaced = this.runs.forgetPortal(connector, chat.guid);
      return { ...this.queue(connector, limits, chat, 'portal'), replaced };
    })();
  }

  /** Runs still delivering, for status lines, the management room and metrics. */
  progress(connector?: string): RunProgress[] {
    return this.runs.active(connector);
  }
}

export type { RunProgress } from './store.ts';
export type { BackfillLimits } from './plan.ts';
