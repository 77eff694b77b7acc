// The gateway's view of the live core: the one outbox for sends, the event
// stream, fates. The daemon adapts its CoreHandle to this; tests use a fake.
import type { EventEnvelope, SendIntent, SendReceipt } from '../core/events.ts';
import type { SendAsk } from '../core/send/gate.ts';
import type { ChatGuid } from '../ids.ts';

export { isFinalFate } from '../core/events.ts';

export interface Gateway {
  /**
   * Queue a send through the durable outbox. The core's send policy decides
   * under the API's scope (api.send_restriction); a refusal throws a
   * SendRefusedError (src/core/errors.ts).
   */
  send(intent: SendIntent): Promise<SendReceipt>;
  /** The same policy without sending (a scheduled send is checked when it is stored). */
  check(ask: SendAsk): void;
  /** Current state of a send, or null if the id is unknown. */
  fate(id: string): SendReceipt | null;
  /** Every fate change; returns an unsubscribe function. */
  onFate(cb: (receipt: SendReceipt) => void): () => void;
  /** Every bridge event, in chat.db order; returns an unsubscribe function. */
  onEvent(cb: (env: EventEnvelope) => void): () => void;
  /**
   * The core's persisted watcher cursor: every chat.db row at or below it has
   * been emitted through onEvent or deliberately skipped (held rows keep it
   * below them). The hub derives resume points from it; see live/resume.ts.
   */
  handledThrough(): number;
  /** Whether any connector mirrors this chat (shown to clients; sends are decided by the core). */
  isMirrored(chat: ChatGuid): boolean;
  /** Sends queued or in flight (the outbox gauge), from the core. */
  outboxDepth?(): number;
}

/**
 * The core's durable event log (src/core/store/eventLog.ts): every event with
 * a monotonic seq, kept about 3 days. With it, live clients and webhooks
 * also get the updates (edit, unsend, delivery) they missed while away.
 */
export interface UpdateLog {
  /** Envelopes with seq > `seq`, oldest first. */
  after(seq: number, limit?: number): EventEnvelope[];
  /** The envelope logged under `key`, or null (never logged, or pruned). */
  byKey(key: string): EventEnvelope | null;
  lastSeq(): number;
}
