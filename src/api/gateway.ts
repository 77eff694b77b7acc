// The gateway's view of the live core: the one outbox for sends, the event
// stream, fates. The daemon adapts its CoreHandle to this; tests use a fake.
import type { EventEnvelope, SendIntent, SendReceipt } from '../core/events.ts';
import type { ChatGuid } from '../ids.ts';

export interface Gateway {
  /** Queue a send through the durable outbox. */
  send(intent: SendIntent): Promise<SendReceipt>;
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
  /** Whether any connector mirrors this chat (for api.send_restriction: mirrored). */
  isMirrored(chat: ChatGuid): boolean;
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

export const isFinalFate = (r: SendReceipt): boolean => r.fate.state !== 'queued' && r.fate.state !== 'sending';
