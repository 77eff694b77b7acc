// The core's send desk: what happens between a sender and the outbox, and
// between an outbox fate and the sender. One origin, one outbox entry (the
// outbox is the only send ledger); the policy at the gate; each fate stage
// shown to the origin once; a file the core owns deleted at the final fate.
import { rm, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { reportsFate, type Connector } from '../connector.ts';
import { isFinalState, stageOf, type SendIntent, type SendOrigin, type SendReceipt } from '../events.ts';
import { receiptOf, type OutboxStore } from '../store/outboxStore.ts';
import type { SendGate } from './gate.ts';
import type { SendScope } from './policy.ts';
import { textWarnings } from '../../imessage/send/index.ts';

export interface SendDeskOptions {
  store: OutboxStore;
  gate: SendGate;
  /** Put a checked send into the outbox (durable once it returns). */
  enqueue(intent: SendIntent): SendReceipt;
  connectors: readonly Connector[];
  log: Logger;
}

export class SendDesk {
  constructor(private readonly o: SendDeskOptions) {}

  /**
   * In order: the same origin again returns its first receipt (nothing new is
   * sent, so no policy applies); the recipient must be well-formed; the send
   * policy for `scope` (a refusal is audited and the sender told once); then
   * the outbox.
   */
  async send(intent: SendIntent, scope: SendScope): Promise<SendReceipt> {
    if (intent.origin) {
      const prior = this.o.store.byOrigin(intent.origin);
      if (prior) {
        // A second copy of the file (a re-download) is not needed: the first one is queued or done.
        if (intent.file?.owned && prior.intent.file?.path !== intent.file.path) await this.discardFile(intent.file.path);
        return { ...receiptOf(prior), already: true };
      }
    }
    try {
      const chat = this.o.gate.check(intent, scope);
      // A bare handle names the chat chat.db has for it (or a new 1:1 chat).
      const target = intent.chatGuid.includes(';') ? intent.chatGuid : chat.guid;
      // Text is stored as asked: the sender cleans what argv can't carry (NUL, lone surrogates) and the outbox reports it.
      const { facts: _facts, ...stored } = intent;
      const receipt = this.o.enqueue({ ...stored, chatGuid: target });
      // Said now, from the text as given: what is stored may already be cleaned.
      const warnings = intent.text === undefined ? [] : textWarnings(intent.text);
      return warnings.length > 0 ? { ...receipt, warnings } : receipt;
    } catch (err) {
      // Refused or not queued: a file handed to the core is the core's to clean up.
      if (intent.file?.owned) await this.discardFile(intent.file.path);
      throw err;
    }
  }

  sentFrom(origin: Pick<SendOrigin, 'connector' | 'remoteId'>): SendReceipt[] {
    return this.o.store.fromOrigin(origin).map(receiptOf);
  }

  filesInUse(): string[] {
    return this.o.store.filesInUse();
  }

  /**
   * A fate changed. The origin is shown each stage once (pending, then a
   * final one), whatever the outbox re-announces; an owned file goes at the
   * first final fate. Resolves when the connector has shown it.
   */
  async fateChanged(r: SendReceipt): Promise<void> {
    if (!this.o.store.markReported(r.id, stageOf(r.fate.state))) return;
    if (isFinalState(r.fate.state) && r.intent.file?.owned) await this.discardFile(r.intent.file.path);
    const target = r.intent.origin?.connector ?? r.intent.from.connector;
    const c = this.o.connectors.find((x) => x.id === target);
    if (!c || !reportsFate(c)) return;
    try {
      await c.reportFate(r);
    } catch (err) {
      this.o.log.warn({ err, connector: c.id, outboxId: r.id }, 'reporting a send fate failed');
    }
  }

  /** Delete a file handed to the core, and its folder once empty (connectors keep one folder per remote message). */
  private async discardFile(path: string): Promise<void> {
    try {
      await rm(path, { force: true });
      await rmdir(dirname(path)).catch(() => undefined); // still holds another file
    } catch (err) {
      this.o.log.warn({ err, path }, 'could not delete a sent file');
    }
  }
}
