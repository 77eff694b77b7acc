// What a history envelope carries besides the message, and how a connector
// says it takes history (and how much).
import type { Connector } from '../connector.ts';
import type { BackfillLimits, FoldedReaction } from './plan.ts';

/** Where a run's history goes: the new portal itself, or (existing portals) an "Earlier messages" thread. */
export type HistoryTarget = 'portal' | 'thread';

export interface HistoryInfo {
  /** The backfill run (`backfill_run.id`). */
  run: number;
  /** Position in the run (0-based) and the run's size. */
  index: number;
  total: number;
  into: HistoryTarget;
  reactions: FoldedReaction[];
  edited: boolean;
  unsent: boolean;
}

/** Connectors that post history into new portals; `backfill` is their (per-connector) limits. */
export interface BackfillingConnector extends Connector {
  readonly backfill: BackfillLimits;
}

export const takesHistory = (c: Connector): c is BackfillingConnector => {
  const b = (c as Partial<BackfillingConnector>).backfill;
  return typeof b === 'object' && b !== null && b.messages > 0;
};

/** The thread `imessage-bridge backfill` opens beside an existing Discord channel (Discord can't insert earlier messages). */
export const EARLIER_THREAD = 'Earlier messages';

/** Matrix state key: the room a recreated portal replaces (the new room's first history line points the old one to it). */
export const replacedRoomKey = (connector: string, chat: string): string => `replaced_room:${connector}:${chat}`;
