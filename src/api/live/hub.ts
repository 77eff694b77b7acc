// Fans live events out to SSE/WebSocket clients and internal consumers. A
// client resuming from a ROWID first gets chat.db rows after it (replay), then
// the live stream; live events that arrive during the replay are buffered.
// Each subscriber dedupes by ROWID and gets a resume point with every event
// (see resume.ts: events may arrive out of ROWID order, and must not be lost).
import type { EventEnvelope } from '../../core/events.ts';
import type { Chat } from '../../imessage/model.ts';
import type { Gateway } from '../gateway.ts';
import type { JsonContract } from '../json.ts';
import type { ChatSource } from '../source.ts';
import { fromBridgeEvent, fromRow, type LiveEvent } from './event.ts';
import { ResumeTracker } from './resume.ts';

/** `resumeFrom`: replaying after this ROWID loses nothing this subscriber has not seen. */
export type Sink = (ev: LiveEvent, resumeFrom: number) => void;

const REPLAY_BATCH = 500;

export interface Subscription { close(): void }

/** A live event with the core's handled-through cursor at the moment it was emitted. */
type Live = (ev: LiveEvent, handled: number) => void;

export class EventHub {
  private readonly sinks = new Set<Live>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly source: ChatSource, private readonly json: JsonContract, private readonly gateway: Gateway) {
    this.unsubscribe = gateway.onEvent((env) => this.publish(env));
  }

  get clients(): number {
    return this.sinks.size;
  }

  publish(env: EventEnvelope): void {
    const ev = fromBridgeEvent(env.event, env.key, this.json);
    const handled = this.gateway.handledThrough();
    for (const sink of [...this.sinks]) sink(ev, handled);
  }

  /**
   * Start a subscription. With `afterRowid`, rows after it are replayed first.
   * Resolves once the replay is done and the subscriber is live, or as soon as
   * `signal` aborts (the client left: the replay stops, the subscription closes).
   */
  async subscribe(afterRowid: number | null, sink: Sink, signal?: AbortSignal): Promise<Subscription> {
    const tracker = new ResumeTracker(afterRowid ?? this.gateway.handledThrough());
    let buffer: [LiveEvent, number][] | null = afterRowid === null ? null : [];
    let open = true;
    // cap: see ResumeTracker.advance; -Infinity while replaying.
    const deliver = (ev: LiveEvent, handled: number, cap: number): void => {
      if (ev.id !== null && !tracker.accept(ev.id)) return;
      sink(ev, ev.id === null ? tracker.resumePoint : tracker.advance(handled, cap));
    };
    const live: Live = (ev, handled) => {
      if (!open) return;
      if (buffer) buffer.push([ev, handled]); else deliver(ev, handled, ev.id ?? Number.POSITIVE_INFINITY);
    };
    this.sinks.add(live);
    const onAbort = (): void => sub.close();
    const sub: Subscription = { close: () => { open = false; this.sinks.delete(live); signal?.removeEventListener('abort', onAbort); } };
    if (signal?.aborted) { sub.close(); return sub; }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (afterRowid === null) return sub;
    try {
      await this.replay(afterRowid, tracker, () => open && !this.closed, (ev) => deliver(ev, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY));
    } catch (err) {
      sub.close();
      throw err;
    }
    if (!open || this.closed) return sub;
    const pending = buffer ?? [];
    buffer = null;
    for (const [ev, handled] of pending) deliver(ev, handled, ev.id ?? Number.POSITIVE_INFINITY);
    return sub;
  }

  private async replay(after: number, tracker: ResumeTracker, stillWanted: () => boolean, deliver: (ev: LiveEvent) => void): Promise<void> {
    const chats = new Map<string, Chat | null>();
    let pos = after;
    for (;;) {
      if (!stillWanted()) return;
      const rows = this.source.reader.messagesAfter(pos, REPLAY_BATCH);
      for (const m of rows) {
        if (!stillWanted()) return;
        const chatGuid = m.chatGuid;
        if (chatGuid && !chats.has(chatGuid)) chats.set(chatGuid, this.source.reader.chat(chatGuid));
        const chat = chatGuid ? chats.get(chatGuid) : null;
        // Rows without a chat yet (Messages joins them a moment later) come live.
        tracker.replayed(m.rowid, Boolean(chat));
        if (chat) deliver(fromRow(chat, m, this.json));
        pos = m.rowid;
      }
      if (rows.length < REPLAY_BATCH) return;
      await new Promise((r) => setImmediate(r));
    }
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    this.sinks.clear();
  }
}
