// The one small interface where the core meets a network (Matrix, Discord,
// tests). Optional abilities are separate interfaces, checked once.
import type { EventEnvelope, SendIntent, SendReceipt } from './events.ts';
import type { ChatGuid } from '../ids.ts';
import type { Chat } from '../imessage/model.ts';
import type { MirrorRules } from './mirror/policy.ts';

export interface CoreHandle {
  /** Queue a send through the one durable outbox. Resolves once queued. */
  send(intent: SendIntent): Promise<SendReceipt>;
  /** Whether a chat is mirrored to this connector (the core's one mirror policy). */
  isMirrored(connector: string, chat: ChatGuid | Chat): boolean;
  /** A user linked (true) or unlinked (false) a chat by hand; wins over the config rules. */
  setMirrored?(connector: string, chat: ChatGuid, mirrored: boolean): void;
}

/** A connector's mirror config; the core decides with it. */
export interface MirrorSettings {
  rules: MirrorRules;
  /** Contact names, so a display name can name a 1:1 chat. */
  nameOf?: (handle: string) => string;
}

export interface Connector {
  readonly id: string;
  start(core: CoreHandle): Promise<void>;
  stop(): Promise<void>;
  /**
   * The connector's mirror rules (`mirrors` + `auto_mirror`). The core's
   * policy decides with them; without them (and without `wants`), nothing.
   */
  readonly mirroring?: MirrorSettings;
  /** For connectors without rules (tests): an exact per-guid answer. Ignored when `mirroring` is set. */
  wants?(chat: ChatGuid): boolean;
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
