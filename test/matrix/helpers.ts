// Hand-made envelopes and a fake core for driving the Matrix connector directly.
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log.ts';
import { chatGuid, messageGuid } from '../../src/ids.ts';
import type { Connector, CoreHandle } from '../../src/core/connector.ts';
import { openBridgeDb, type BridgeDb } from '../../src/core/db/bridgeDb.ts';
import { CoreDouble } from '../core/support/coreDouble.ts';
import type { BridgeEvent, EventEnvelope, SendIntent } from '../../src/core/events.ts';
import type { Attachment, Chat, IMessage } from '../../src/imessage/model.ts';
import { waitFor } from '../support/waitFor.ts';

export const NAMES: Record<string, string> = { '+15551230001': 'Alice', '+15551230002': 'Bob', 'carol@example.com': 'Carol' };
export const displayName = (h: string): string => NAMES[h] ?? h;

export function captureLog(): { log: ReturnType<typeof createLogger>; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({ write(c: Buffer, _e, cb) { chunks.push(c.toString()); cb(); } });
  return { log: createLogger('debug', stream), lines: () => chunks.join('').split('\n').filter(Boolean) };
}

export function chat1(handle = '+15551230001'): Chat {
  return { rowid: 1, guid: chatGuid(`iMessage;-;${handle}`), service: 'iMessage', identifier: handle, displayName: null, isGroup: false, participants: [handle], lastMessageAt: null };
}

export function group(id = 'chat900', participants = ['+15551230001', '+15551230002']): Chat {
  return { rowid: 2, guid: chatGuid(`iMessage;+;${id}`), service: 'iMessage', identifier: id, displayName: 'Weekend plans', isGroup: true, participants, lastMessageAt: null };
}

let rowid = 100;
export function msg(chat: Chat, over: Partial<IMessage> = {}): IMessage {
  rowid++;
  return {
    rowid, guid: messageGuid(`G-${rowid}-${Math.random().toString(36).slice(2, 8)}`), chatGuid: chat.guid, kind: 'text', fromMe: false,
    sender: chat.participants[0] ?? 'me', service: 'iMessage', date: Date.now(), dateRead: null, dateDelivered: null, dateEdited: null,
    dateRetracted: null, text: '', rawText: '', attachments: [] as Attachment[], reaction: null, replyTo: null, edits: [], unsent: false,
    retractedParts: [], event: null, isSent: true, isDelivered: true, isRead: false, error: 0, balloonBundleId: null, warnings: [], ...over,
  };
}

let seq = 0;
export function env(key: string, event: BridgeEvent): EventEnvelope {
  return { seq: ++seq, key, chatGuid: event.chat.guid, event };
}

export const message = (chat: Chat, m: IMessage): EventEnvelope => env(`msg:${m.guid}`, { type: 'message', chat, message: m, sentBy: null });

/**
 * The core's real send desk (test/core/support/coreDouble.ts), every chat
 * mirrored: the connector's allow list decides, refusals are audited and told
 * once, the outbox dedupes by origin. `bind` puts it on the test's database
 * with the connector; unbound, it runs on a private in-memory one.
 */
export function fakeCore(): { handle: CoreHandle; readonly sends: SendIntent[]; fail: { next: Error | null }; readonly double: CoreDouble; bind(db: BridgeDb, ...connectors: Connector[]): void } {
  const fail = { next: null as Error | null };
  const make = (db: BridgeDb, connectors: Connector[]): CoreDouble => {
    const d = new CoreDouble(db, () => null, { mirrorEverything: true });
    d.attach(...connectors);
    d.refuse = () => { const e = fail.next; fail.next = null; return e; };
    return d;
  };
  let inner: CoreDouble | null = null;
  const current = (): CoreDouble => (inner ??= make(openBridgeDb(':memory:'), []));
  const handle: CoreHandle = {
    send: (i) => current().send(i), check: (a) => current().check(a), sentFrom: (o) => current().sentFrom(o), filesInUse: () => current().filesInUse(),
    status: () => current().status(), note: (f, c, d) => current().note(f, c, d), isMirrored: (c, chat) => current().isMirrored(c, chat),
    setMirrored: (c, chat, m) => current().setMirrored(c, chat, m),
  };
  return {
    handle, fail,
    get sends() { return current().intents; },
    get double() { return current(); },
    bind(db, ...connectors) { if (inner?.db === db) inner.attach(...connectors); else inner = make(db, connectors); },
  };
}

/** The suite's one condition wait (test/support/waitFor.ts), in this folder's argument order. */
export async function until<T>(check: () => T | undefined | null | false, what: string, ms = 30_000): Promise<T> {
  return waitFor(what, check, { timeoutMs: ms, intervalMs: 50 });
}

/** A 3×2 PNG (valid header; enough for size detection and upload). */
export function tinyPng(): Buffer {
  return Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEklEQVR4nGP4z8DAwMDAwMAAAA0CAQHrFEp6AAAAAElFTkSuQmCC', 'base64');
}
