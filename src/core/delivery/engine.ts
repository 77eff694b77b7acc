// Fans events out to connectors through the durable journal. `enqueue` runs
// inside the watcher's batch transaction (event + journal rows + cursor commit
// together); the lanes then deliver at least once, in order per chat.
import type { Logger } from 'pino';
import type { Connector } from '../connector.ts';
import type { EventEnvelope } from '../events.ts';
import type { BridgeDb } from '../db/bridgeDb.ts';
import { DeliveryJournal } from '../store/deliveries.ts';
import { EventLog } from '../store/eventLog.ts';
import { ConnectorLane, type LaneOptions, type LaneStats } from './lane.ts';

export class DeliveryEngine {
  readonly journal: DeliveryJournal;
  private readonly lanes: ConnectorLane[];

  /** `mirrored`: the core's mirror policy (src/core/mirror), asked with the event's full Chat. */
  constructor(db: BridgeDb, private readonly connectors: Connector[], private readonly log: Logger, private readonly mirrored: (connector: string, env: EventEnvelope) => boolean, o: Partial<LaneOptions> = {}) {
    this.journal = new DeliveryJournal(db);
    const events = new EventLog(db);
    const opts: LaneOptions = { retryBaseMs: o.retryBaseMs ?? 1000, retryMaxMs: o.retryMaxMs ?? 5 * 60_000, concurrency: o.concurrency ?? 8, deliveryTimeoutMs: o.deliveryTimeoutMs ?? 60_000, stopTimeoutMs: o.stopTimeoutMs ?? 3_000 };
    this.lanes = connectors.map((c) => new ConnectorLane(c, this.journal, events, log, opts));
  }

  /** Record who must receive this event. `except` is the connector a confirmed send came from. */
  enqueue(env: EventEnvelope, except: string | null): void {
    for (const c of this.connectors) {
      if (c.id === except || !this.wants(c, env)) continue;
      this.journal.enqueue(c.id, env.seq, env.chatGuid);
    }
  }

  start(): void {
    for (const l of this.lanes) l.start();
  }

  wake(): void {
    for (const l of this.lanes) l.wake();
  }

  async stop(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.stop()));
  }

  stats(): LaneStats[] {
    return this.lanes.map((l) => l.stats());
  }

  private wants(c: Connector, env: EventEnvelope): boolean {
    try {
      return this.mirrored(c.id, env);
    } catch (err) {
      this.log.error({ err, connector: c.id, chat: env.chatGuid }, 'the mirror policy threw; not delivering this event to the connector');
      return false;
    }
  }
}
