// The connector kit: everything a connector gets from the core besides the
// CoreHandle it is started with. The core hands each connector small typed
// views scoped to its id (message map, portals, backfill runs), the bridge
// status, and storage for its own tables, and applies the connector's own
// migrations when the kit is opened, i.e. when the connector is built and
// before the core starts. Connectors never see the bridge database itself.
import type { BridgeDb } from '../db/bridgeDb.ts';
import { migrate } from '../db/bridgeDb.ts';
import { migrations as coreMigrations, type Migration } from '../db/migrations/index.ts';
import { BackfillStore } from '../backfill/store.ts';
import { MessageMap } from '../store/messageMap.ts';
import { PortalStore } from '../store/portals.ts';
import { bridgeStatus } from '../status.ts';
import { plainParts, type PartCodec } from './parts.ts';
import { scopedStorage, type ConnectorStorage } from './storage.ts';
import { historyView, messageMapView, portalView, type HistoryView, type MessageMapView, type PortalView } from './views.ts';

export type { ConnectorStorage } from './storage.ts';
export type { PartCodec } from './parts.ts';
export type { HistoryView, MappedPart, MessageMapView, PortalRecord, PortalView } from './views.ts';

/** A connector's schema change, numbered in its range (020–029 Discord, 030–039 Matrix); it sees only its own tables. */
export interface ConnectorMigration {
  version: number;
  name: string;
  up(storage: ConnectorStorage): void;
}

export interface KitRequest<P> {
  /** The connector id: every view is scoped to it. */
  id: string;
  /** Prefixes of the tables the connector owns (e.g. `matrix_`); its storage refuses any other. */
  tables?: readonly string[];
  migrations?: readonly ConnectorMigration[];
  /** How the connector's part ids are stored (default: the integer as is). */
  parts?: PartCodec<P>;
}

export interface ConnectorKit<P = number> {
  readonly id: string;
  readonly messages: MessageMapView<P>;
  readonly portals: PortalView;
  readonly history: HistoryView;
  status(): Record<string, unknown>;
  readonly storage: ConnectorStorage;
}

export class MigrationClashError extends Error {
  override readonly name = 'MigrationClashError';
  constructor(readonly version: number, a: string, b: string) {
    super(`Migration ${version} is claimed twice ("${a}" and "${b}"): each part of the bridge numbers its migrations in its own range.`);
  }
}

/** Hands out connector kits over one bridge database (the daemon makes one, and gives it to the connector factories). */
export class ConnectorKits {
  private readonly claimed = new Map<number, string>(coreMigrations.map((m) => [m.version, m.name]));

  constructor(private readonly db: BridgeDb) {}

  open<P = number>(req: KitRequest<P>): ConnectorKit<P> {
    const prefixes = req.tables ?? [];
    const storage = scopedStorage(this.db, `connector ${req.id}`, prefixes);
    const own: Migration[] = (req.migrations ?? []).map((m) => {
      const prior = this.claimed.get(m.version);
      if (prior !== undefined && prior !== m.name) throw new MigrationClashError(m.version, prior, m.name);
      this.claimed.set(m.version, m.name);
      return { version: m.version, name: m.name, up: (db) => m.up(scopedStorage(db, `migration ${m.version}`, prefixes)) };
    });
    // The core's list goes along: a core migration that waits for a connector's table (see `applies`) runs in version order now.
    migrate(this.db, [...coreMigrations, ...own]);
    return {
      id: req.id,
      messages: messageMapView(new MessageMap(this.db), req.id, req.parts ?? (plainParts as unknown as PartCodec<P>)),
      portals: portalView(new PortalStore(this.db), req.id),
      history: historyView(new BackfillStore(this.db), req.id),
      status: () => this.status(),
      storage,
    };
  }

  /** Bridge health for status commands (outbox, backlog, last event, backfill). */
  status(): Record<string, unknown> {
    return bridgeStatus(this.db);
  }
}
