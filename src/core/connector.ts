// The one small interface where the core meets a network (Matrix, Discord,
// tests). Optional abilities are separate interfaces, checked once.
import type { Attribution, EventEnvelope, SendIntent, SendOrigin, SendReceipt } from './events.ts';
import type { ChatGuid } from '../ids.ts';
import type { Chat } from '../imessage/model.ts';
import type { SendRefusedError } from './errors.ts';
import type { MirrorRules } from './mirror/policy.ts';
import type { SendPermissions } from './send/policy.ts';
import type { SendAsk } from './send/gate.ts';

export type { SendPermissions } from './send/policy.ts';
export type { SendAsk } from './send/gate.ts';

export interface CoreHandle {
  /**
   * Queue a send through the one durable outbox. Resolves once queued. The
   * core's send policy decides (mirrored chat, allowed person); a refusal
   * throws a SendRefusedError, is audited, and the sender is told once
   * through `tellRefused`. The same origin twice returns the first receipt
   * (`already: true`), so connectors keep no send ledger of their own.
   */
  send(intent: SendIntent): Promise<SendReceipt>;
  /**
   * The policy alone, before costly work (downloading a file): throws the
   * refusal send would, with the same audit and notice.
   */
  check(ask: SendAsk): void;
  /** Sends already made from this remote message (any part), oldest first. */
  sentFrom(origin: Pick<SendOrigin, 'connector' | 'remoteId'>): SendReceipt[];
  /** Files the outbox still needs (queued or being sent): a sweep must keep them. */
  filesInUse(): string[];
  /** Something a user wrote stays on the remote side on purpose (an internal note): the audit log keeps it. */
  note(from: Attribution, chatGuid: ChatGuid | null, detail: string): void;
  /** Bridge health for status commands (outbox, backlog, last event). */
  status(): Record<string, unknown>;
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
  /**
   * Who on this network may send into mirrored chats (the core's send policy
   * decides with it). Without it the connector vouches for its senders itself.
   */
  readonly sendPermissions?: SendPermissions;
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

/** A refused send, for the connector to tell the person who wrote it (once per chat; the core decides when). */
export interface Refusal {
  chatGuid: ChatGuid;
  from: Attribution;
  origin: SendOrigin | null;
  error: SendRefusedError;
}

/** Connectors that can tell a sender why their message stayed where it was. */
export interface RefusalTellingConnector extends Connector {
  tellRefused(refusal: Refusal): Promise<void>;
}

export const canReconcile = (c: Connector): c is ReconcilingConnector =>
  typeof (c as Partial<ReconcilingConnector>).reconcile === 'function';
export const reportsFate = (c: Connector): c is FateReportingConnector =>
  typeof (c as Partial<FateReportingConnector>).reportFate === 'function';
export const tellsRefusals = (c: Connector): c is RefusalTellingConnector =>
  typeof (c as Partial<RefusalTellingConnector>).tellRefused === 'function';
