// Builders for the core's model objects, so connector tests read like stories.
import { chatGuid, messageGuid, outboxId } from '../../../src/ids.ts';
import type { Chat, IMessage } from '../../../src/imessage/model.ts';
import type { Attribution, BridgeEvent, EventEnvelope, SendFate, SendIntent, SendReceipt } from '../../../src/core/events.ts';
import type { CoreHandle, FateReportingConnector } from '../../../src/core/connector.ts';
import type { ChatGuid } from '../../../src/ids.ts';
import { chatFromGuid, type Mirroring } from '../../../src/core/mirror/index.ts';

let rowid = 1;

export function directChat(handle: string): Chat {
  return { rowid: rowid++, guid: chatGuid(`iMessage;-;${handle}`), service: 'iMessage', identifier: handle, displayName: null, isGroup: false, participants: [handle], lastMessageAt: null };
}

export function groupChat(name: string | null, participants: string[]): Chat {
  const id = `chat${100000 + rowid}`;
  return { rowid: rowid++, guid: chatGuid(`iMessage;+;${id}`), service: 'iMessage', identifier: id, displayName: name, isGroup: true, participants, lastMessageAt: null };
}

export function imsg(chat: Chat, fields: Partial<IMessage> = {}): IMessage {
  const n = rowid++;
  return {
    rowid: n, guid: messageGuid(`MSG-${n}-${Math.random().toString(36).slice(2, 8)}`), chatGuid: chat.guid, kind: 'text', fromMe: false,
    sender: chat.participants[0] ?? 'me', service: 'iMessage', date: Date.now(), dateRead: null, dateDelivered: null, dateEdited: null,
    dateRetracted: null, text: '', rawText: '', attachments: [], reaction: null, replyTo: null, edits: [], unsent: false, retractedParts: [],
    event: null, isSent: true, isDelivered: true, isRead: false, error: 0, balloonBundleId: null, warnings: [], ...fields,
  };
}

let seq = 1;
export function envelope(event: BridgeEvent, key?: string): EventEnvelope {
  const s = seq++;
  return { seq: s, key: key ?? `${event.type}:${event.message.guid}:${s}`, chatGuid: event.chat.guid, event };
}

export const messageEvent = (chat: Chat, m: IMessage, sentBy: Attribution | null = null): EventEnvelope =>
  envelope({ type: 'message', chat, message: m, sentBy }, `msg:${m.guid}`);

/** A CoreHandle that records intents; tests settle each send's fate by hand. */
export class FakeCore implements CoreHandle {
  readonly receipts: SendReceipt[] = [];
  connector: FateReportingConnector | null = null;
  refuse: ((i: SendIntent) => Error | null) | null = null;
  private n = 0;

  get intents(): SendIntent[] { return this.receipts.map((r) => r.intent); }

  async send(intent: SendIntent): Promise<SendReceipt> {
    const err = this.refuse?.(intent);
    if (err) throw err;
    const r: SendReceipt = { id: outboxId(`ob-${++this.n}`), intent, fate: { state: 'queued' } };
    this.receipts.push(r);
    return r;
  }

  /** The core's real mirror policy, when the harness wires one (else everything is mirrored). */
  mirroring: Mirroring | null = null;

  isMirrored(connector: string, chat: ChatGuid | Chat): boolean {
    return this.mirroring?.isMirrored(connector, typeof chat === 'string' ? chatFromGuid(chat) : chat) ?? true;
  }

  setMirrored(connector: string, chat: ChatGuid, mirrored: boolean): void {
    this.mirroring?.setByHand(connector, chat, mirrored);
  }

  async settle(r: SendReceipt, fate: SendFate): Promise<void> {
    r.fate = fate;
    await this.connector?.reportFate({ ...r, fate });
  }
}
