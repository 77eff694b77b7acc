// Builders for the core's model objects, so connector tests read like stories.
import { chatGuid, messageGuid } from '../../../src/ids.ts';
import type { Chat, IMessage } from '../../../src/imessage/model.ts';
import type { Attribution, BridgeEvent, EventEnvelope } from '../../../src/core/events.ts';
import { openBridgeDb, type BridgeDb } from '../../../src/core/db/bridgeDb.ts';
import { CoreDouble } from '../../core/support/coreDouble.ts';

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

/** The core's real send desk on the harness's database (test/core/support/coreDouble.ts); tests settle each send's fate by hand. */
export class FakeCore extends CoreDouble {
  constructor(db: BridgeDb = openBridgeDb(':memory:')) { super(db); }
}
