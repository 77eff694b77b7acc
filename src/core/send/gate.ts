// The door every send goes through before the outbox: a well-formed recipient,
// then the send policy. A refusal is audited here — the one place — and the
// sender is told once per chat on the connector they wrote from (not on every
// attempt: a stranger typing ten lines gets one notice, not ten).
import type { Logger } from 'pino';
import type { Chat } from '../../imessage/model.ts';
import { tellsRefusals, type Connector } from '../connector.ts';
import type { BridgeDb } from '../db/bridgeDb.ts';
import { type SendRefusedError } from '../errors.ts';
import type { SendIntent } from '../events.ts';
import { chatKey } from '../mirror/chatIdentity.ts';
import type { AuditLog } from '../store/audit.ts';
import { decideSend, type SendScope } from './policy.ts';
import { resolveRecipient } from './recipient.ts';

/** A send as far as the policy cares: who, where, from which remote message. */
export type SendAsk = Pick<SendIntent, 'chatGuid' | 'from' | 'facts' | 'origin'>;

export interface SendGateOptions {
  db: BridgeDb;
  audit: AuditLog;
  connectors: readonly Connector[];
  /** The chat chat.db lists for a guid or handle, or null. */
  knownChat(guidOrHandle: string): Chat | null;
  isMirrored(connector: string, chat: Chat): boolean;
  log: Logger;
  region?: string;
}

export class SendGate {
  constructor(private readonly o: SendGateOptions) {}

  /** The chat the send targets, or a thrown refusal (audited; the sender told once). */
  check(ask: SendAsk, scope: SendScope): Chat {
    // Bad input, not a denial: the caller shows the reason; nothing to audit or tell.
    const chat = resolveRecipient(ask.chatGuid, (g) => this.o.knownChat(g));
    const refusal = decideSend(scope, {
      chat, from: ask.from, facts: ask.facts, region: this.o.region,
      mirroredTo: (c) => this.mirrored(c, chat),
      mirroredAnywhere: () => this.o.connectors.some((c) => this.mirrored(c.id, chat)),
      permissions: this.o.connectors.find((c) => c.id === ask.from.connector)?.sendPermissions,
    });
    if (refusal) {
      this.refuse(ask, chat, refusal);
      throw refusal;
    }
    return chat;
  }

  private mirrored(connector: string, chat: Chat): boolean {
    try { return this.o.isMirrored(connector, chat); } catch { return false; }
  }

  private refuse(ask: SendAsk, chat: Chat, err: SendRefusedError): void {
    const { from } = ask;
    this.o.audit.record({
      connector: from.connector, userId: from.userId, userName: from.displayName, action: 'denied', chatGuid: chat.guid,
      detail: { code: err.code, reason: err.message, ...(ask.origin ? { origin: ask.origin } : {}) }, result: `refused: ${err.code}`,
    });
    const c = this.o.connectors.find((x) => x.id === from.connector);
    if (!c || !tellsRefusals(c) || !this.firstRefusal(from.connector, chat.guid, from.userId)) return;
    c.tellRefused({ chatGuid: chat.guid, from, origin: ask.origin ?? null, error: err })
      .catch((e: unknown) => this.o.log.warn({ err: e, connector: c.id }, 'telling a sender their message was refused failed'));
  }

  /** True the first time this user is refused in this chat on this connector. */
  private firstRefusal(connector: string, chat: string, userId: string): boolean {
    const key = chatKey(chat, this.o.region);
    return this.o.db.prepare('INSERT OR IGNORE INTO send_denial_notice (connector, chat_key, user_id, at) VALUES (?, ?, ?, ?)')
      .run(connector, key, userId, Date.now()).changes > 0;
  }
}
