// Fans live events out to SSE/WebSocket clients and internal consumers. A
// client resuming from a ROWID first gets chat.db rows after it (replay), then
// the live stream; live events that arrive during the replay are buffered, and
// any new-row event at or below the last replayed ROWID is dropped, so the
// seam has neither gaps nor duplicates.
import type { EventEnvelope } from '../../core/events.ts';
import type { Chat } from '../../imessage/model.ts';
import type { Gateway } from '../gateway.ts';
import type { JsonContract } from '../json.ts';
import type { ChatSource } from '../source.ts';
import { fromBridgeEvent, fromRow, type LiveEvent } from './event.ts';

export type Sink = (ev: LiveEvent) => void;

const REPLAY_BATCH = 500;

export interface Subscription { close(): void }

export class EventHub {
  private readonly sinks = new Set<(ev: LiveEvent) => void>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly source: ChatSource, private readonly json: JsonContract, gateway: Gateway) {
    this.unsubscribe = gateway.onEvent((env) => this.publish(env));
  }

  get clients(): number {
    return this.sinks.size;
  }

  publish(env: EventEnvelope): void {
    const ev = fromBridgeEvent(env.event, env.key, this.json);
    for (const sink of [...this.sinks]) sink(ev);
  }

  /**
   * Start a subscription. With `afterRowid`, rows after it are replayed first.
   * Resolves once the replay is done and the subscriber is live.
   */
  async subscribe(afterRowid: number | null, sink: Sink): Promise<Subscription> {
    let buffer: LiveEvent[] | null = afterRowid === null ? null : [];
    let through = afterRowid ?? -1;
    let open = true;
    // Rows replayed before Messages joined them to a chat: the live feed may
    // still bring them later, below `through`, and they must pass then.
    const orphans = new Set<number>();
    const deliver = (ev: LiveEvent): void => {
      if (ev.id !== null && ev.id <= through && !orphans.delete(ev.id)) return;
      if (ev.id !== null) through = ev.id;
      sink(ev);
    };
    const live: Sink = (ev) => {
      if (!open) return;
      if (buffer) buffer.push(ev); else deliver(ev);
    };
    this.sinks.add(live);
    const sub = { close: () => { open = false; this.sinks.delete(live); } };
    if (afterRowid !== null) {
      const chats = new Map<string, Chat | null>();
      for (;;) {
        const rows = this.source.reader.messagesAfter(through, REPLAY_BATCH);
        for (const m of rows) {
          if (!open || this.closed) return sub;
          const chatGuid = m.chatGuid;
          if (chatGuid && !chats.has(chatGuid)) chats.set(chatGuid, this.source.reader.chat(chatGuid));
          const chat = chatGuid ? chats.get(chatGuid) : null;
          if (chat) deliver(fromRow(chat, m, this.json));
          else { orphans.add(m.rowid); through = Math.max(through, m.rowid); }
        }
        if (rows.length < REPLAY_BATCH) break;
        await new Promise((r) => setImmediate(r));
      }
      const pending = buffer ?? [];
      buffer = null;
      for (const ev of pending) deliver(ev);
    }
    return sub;
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    this.sinks.clear();
  }
}
