// The one small interface where the core meets a network (Matrix, Discord,
// tests). Optional abilities are separate interfaces, checked once.
import type { EventEnvelope, SendIntent, SendReceipt } from './events.ts';
import type { ChatGuid } from '../ids.ts';

export interface CoreHandle {
  /** Queue a send through the one durable outbox. Resolves once queued. */
  send(intent: SendIntent): Promise<SendReceipt>;
  /** Whether a chat is mirrored to this connector. */
  isMirrored(connector: string, chat: ChatGuid): boolean;
}

export interface Connector {
  readonly id: string;
  start(core: CoreHandle): Promise<void>;
  stop(): Promise<void>;
  /** Which chats this connector wants events for. */
  wants(chat: ChatGuid): boolean;
  /**
   * Deliver one event. Must be idempotent for a given `env.key` (the core
   * retries after crashes). Throwing makes the core retry with backoff; events
   * of the same chat are never reordered.
   */
  deliver(env: EventEnvelope): Promise<void>;
}

/** Connectors that can tell whether an in-flight delivery already landed. */
export interface ReconcilingConnector extends Connector {
  /** After a crash: did the delivery with this key reach the remote side? */
  reconcile(env: EventEnvelope): Promise<'delivered' | 'missing'>;
}

/** Connectors that show a send's fate (pending/✅/❌) on the remote message. */
export interface FateReportingConnector extends Connector {
  reportFate(receipt: SendReceipt): Promise<void>;
}

export const canReconcile = (c: Connector): c is ReconcilingConnector =>
  typeof (c as Partial<ReconcilingConnector>).reconcile === 'function';
export const reportsFate = (c: Connector): c is FateReportingConnector =>
  typeof (c as Partial<FateReportingConnector>).reportFate === 'function';
