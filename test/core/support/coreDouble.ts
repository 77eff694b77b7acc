// The core as a connector sees it, minus chat.db and osascript: the real send
// desk (unique origins in the real outbox table, the send policy, refusals
// audited and told once, each fate stage reported once, owned files deleted
// at the final fate), with fates settled by the test. Connector tests drive
// their connector against this, so they test it against the core's rules,
// not a copy of them.
import { pino } from 'pino';
import type { CoreHandle, Connector } from '../../../src/core/connector.ts';
import type { BridgeDb } from '../../../src/core/db/bridgeDb.ts';
import type { Attribution, SendFate, SendIntent, SendReceipt } from '../../../src/core/events.ts';
import { chatFromGuid, Mirroring } from '../../../src/core/mirror/index.ts';
import { SendDesk } from '../../../src/core/send/desk.ts';
import { SendGate, type SendAsk } from '../../../src/core/send/gate.ts';
import { CONNECTOR_SCOPE } from '../../../src/core/send/policy.ts';
import { AuditLog } from '../../../src/core/store/audit.ts';
import { OutboxStore, receiptOf } from '../../../src/core/store/outboxStore.ts';
import { bridgeStatus } from '../../../src/core/status.ts';
import type { ChatGuid } from '../../../src/ids.ts';
import type { Chat } from '../../../src/imessage/model.ts';

export class CoreDouble implements CoreHandle {
  /** Every send that reached the outbox, in order (the receipt's fate is kept current by settle). */
  readonly receipts: SendReceipt[] = [];
  /** Make the next sends fail as the outbox would (after the policy passed). */
  refuse: ((i: SendIntent) => Error | null) | null = null;
  /** The core's real mirror policy, once connectors are attached (else every chat is mirrored). */
  mirroring: Mirroring | null = null;
  readonly store: OutboxStore;
  readonly audit: AuditLog;
  private connectors: Connector[] = [];
  private desk: SendDesk;
  private gate: SendGate;

  /** `mirrorEverything`: connector tests that deliver by hand, with no mirror rules in their config. */
  constructor(readonly db: BridgeDb, private readonly chats: (g: string) => Chat | null = () => null, private readonly o: { mirrorEverything?: boolean } = {}) {
    this.store = new OutboxStore(db);
    this.audit = new AuditLog(db);
    this.gate = this.makeGate();
    this.desk = this.makeDesk();
  }

  /** Wire connectors as the core would: their mirror rules, allow lists, fate reports and refusal notices. */
  attach(...connectors: Connector[]): void {
    this.connectors = connectors;
    if (!this.o.mirrorEverything) this.mirroring = new Mirroring(this.db, connectors);
    this.gate = this.makeGate();
    this.desk = this.makeDesk();
  }

  get intents(): SendIntent[] { return this.receipts.map((r) => r.intent); }

  async send(intent: SendIntent): Promise<SendReceipt> { return this.desk.send(intent, CONNECTOR_SCOPE); }
  check(ask: SendAsk): void { this.gate.check(ask, CONNECTOR_SCOPE); }
  sentFrom(origin: { connector: string; remoteId: string }): SendReceipt[] { return this.desk.sentFrom(origin); }
  filesInUse(): string[] { return this.desk.filesInUse(); }
  status(): Record<string, unknown> { return bridgeStatus(this.db); }
  note(from: Attribution, chatGuid: ChatGuid | null, detail: string): void {
    this.audit.record({ connector: from.connector, userId: from.userId, userName: from.displayName, action: 'note', chatGuid, detail: { note: detail }, result: 'kept' });
  }

  isMirrored(connector: string, chat: ChatGuid | Chat): boolean {
    return this.mirroring?.isMirrored(connector, typeof chat === 'string' ? this.chats(chat) ?? chatFromGuid(chat) : chat) ?? true;
  }

  setMirrored(connector: string, chat: ChatGuid, mirrored: boolean): void {
    this.mirroring?.setByHand(connector, chat, mirrored);
  }

  /** Move a send to `fate` as the outbox would, and let the core report it. */
  async settle(r: SendReceipt, fate: SendFate): Promise<void> {
    const patch = fate.state === 'sent' ? { state: fate.state, messageGuid: fate.messageGuid }
      : fate.state === 'failed' ? { state: fate.state, errorCode: fate.code, errorReason: fate.reason }
        : fate.state === 'unknown' ? { state: fate.state, errorReason: fate.reason } : { state: fate.state };
    const next = receiptOf(this.store.update(r.id, patch));
    r.fate = next.fate;
    await this.desk.fateChanged(next);
  }

  private makeGate(): SendGate {
    return new SendGate({
      db: this.db, audit: this.audit, connectors: this.connectors, knownChat: (g) => this.chats(g),
      isMirrored: (c, chat) => this.mirroring?.isMirrored(c, chat) ?? true, log: pino({ level: 'silent' }),
    });
  }

  private makeDesk(): SendDesk {
    return new SendDesk({
      store: this.store, gate: this.gate, connectors: this.connectors, log: pino({ level: 'silent' }),
      enqueue: (intent) => {
        const err = this.refuse?.(intent);
        if (err) throw err;
        const r = receiptOf(this.store.insert(intent));
        this.receipts.push(r);
        void this.desk.fateChanged(r);
        return r;
      },
    });
  }
}
