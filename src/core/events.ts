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

/** A connector asks the core to send into a mirrored chat. */
export interface SendIntent {
  chatGuid: ChatGuid;
  text?: string;
  /** Absolute path of a local file (already downloaded by the connector). */
  file?: { path: string; name: string };
  /** Who asked for it. */
  from: Attribution;
  /** The remote message that caused it, to report fate back and never echo it. */
  origin?: { connector: string; remoteId: string };
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
}
