// What the core hands connectors, and what connectors hand back. Connectors
// never see chat.db rows, and the core never sees Discord or Matrix objects.
import type { ChatGuid, MessageGuid, OutboxId } from '../ids.ts';
import type { Chat, IMessage } from '../imessage/model.ts';
import type { HistoryInfo } from './backfill/types.ts';

/** Who sent a message that originated from the bridge (an outbox send). */
export interface Attribution {
  connector: string;
  /** Remote user id (Discord user id, Matrix mxid, API token name). */
  userId: string;
  displayName: string;
}

export type BridgeEvent =
  | { type: 'message'; chat: Chat; message: IMessage; sentBy: Attribution | null }
  | { type: 'reaction'; chat: Chat; message: IMessage }
  | { type: 'edit'; chat: Chat; message: IMessage }
  | { type: 'unsend'; chat: Chat; message: IMessage }
  | { type: 'group_event'; chat: Chat; message: IMessage }
  | { type: 'delivery'; chat: Chat; message: IMessage; status: 'delivered' | 'read' | 'failed' }
  /** A line of a new portal's history (src/core/backfill): the message as it reads now, posted before live ones. */
  | { type: 'history'; chat: Chat; message: IMessage; history: HistoryInfo };

/** Every event carries a stable idempotency key derived from the iMessage guid. */
export interface EventEnvelope {
  /** Monotonic sequence in the bridge database (also the SSE id). */
  seq: number;
  /** e.g. `msg:<guid>`, `edit:<guid>:<dateEdited>`; same key ⇒ same effect. */
  key: string;
  chatGuid: ChatGuid;
  event: BridgeEvent;
}

/** What a connector knows about a sender, for the core's allow list (not stored). */
export interface SenderFacts {
  /** Other names of the user (Discord username). */
  aliases?: readonly string[];
  /** Role ids and names the user holds (Discord). */
  roles?: readonly string[];
}

/**
 * The remote message a send came from. Unique per (connector, remoteId, part)
 * in the outbox: handing the same one in again returns the first receipt, so
 * retries, catch-ups and restarts never send twice.
 */
export interface SendOrigin {
  connector: string;
  remoteId: string;
  /** Which piece of the remote message (a connector's own numbering: 0 text, 1… files); default 0. */
  part?: number;
  /** Where the remote message lives (Discord channel, Matrix room), to show its fate there. */
  room?: string;
}

/** A connector asks the core to send into a mirrored chat. */
export interface SendIntent {
  chatGuid: ChatGuid;
  text?: string;
  /**
   * Absolute path of a local file (already downloaded by the connector).
   * `owned`: the core deletes it (and its folder, once empty) when the send's
   * fate is final or the send is refused.
   */
  file?: { path: string; name: string; owned?: boolean };
  /** Who asked for it. */
  from: Attribution;
  /** For the send policy's allow list; never stored. */
  facts?: SenderFacts;
  /** The remote message that caused it, to report fate back and never echo it. */
  origin?: SendOrigin;
}

export type SendFate =
  | { state: 'queued' | 'sending' }
  | { state: 'sent'; messageGuid: MessageGuid }
  | { state: 'failed'; code: string; reason: string }
  | { state: 'unknown'; reason: string };

export interface SendReceipt {
  id: OutboxId;
  intent: SendIntent;
  fate: SendFate;
  /** This origin was already in the outbox: nothing new was queued. */
  already?: true;
  /** What the text loses on its way into Messages (NUL, lone surrogates), said when it is queued. */
  warnings?: string[];
}

/** One definition of "final": the outbox is done with the send (files may go, waiters may stop). */
export const isFinalState = (state: SendFate['state']): boolean => state === 'sent' || state === 'failed' || state === 'unknown';
export const isFinalFate = (r: { fate: SendFate }): boolean => isFinalState(r.fate.state);

/**
 * What the origin is shown: `queued` and `sending` are one "pending" step (a
 * retry goes back to queued without the user needing to hear it again).
 */
export type FateStage = 'pending' | 'sent' | 'failed' | 'unknown';
export const stageOf = (state: SendFate['state']): FateStage => (state === 'queued' || state === 'sending' ? 'pending' : state);
