// Fans the core's events out to SSE/WebSocket clients and internal consumers
// (webhooks). The API builds no events of its own: live ones are the core's
// (Gateway.onEvent), replayed ones are the core's logged envelopes or, for
// rows older than its event log, re-derived by the core's classification
// (rows.ts), so every fact has one key live and replayed. A client resuming
// from a position (position.ts) first gets chat.db rows after its ROWID, then
// the updates logged after its seq, then the live stream; live events that
// arrive during the replay are buffered. Each subscriber dedupes new rows by
// ROWID (see resume.ts: they may arrive out of ROWID order, and must not be
// lost) and updates by seq (the core logs and emits them in seq order), and
// gets a resume position with every event.
import type { EventEnvelope } from '../../core/events.ts';
import type { Chat } from '../../imessage/model.ts';
import type { Gateway, UpdateLog } from '../gateway.ts';
import type { JsonContract } from '../json.ts';
import type { ChatSource } from '../source.ts';
import { fromBridgeEvent, isStreamed, UPDATE_TYPES, type LiveEvent } from './event.ts';
import type { Position } from './position.ts';
import { ResumeTracker } from './resume.ts';
import { rowEvents } from './rows.ts';

/** `at`: resuming from it loses nothing this subscriber has not seen. */
export type Sink = (ev: LiveEvent, at: Position) => void;

const REPLAY_BATCH = 500;
const UPDATE_BATCH = 1000;

export interface Subscription { close(): void }

/** A live event with the core's handled-through cursor at the moment it was emitted. */
type Live = (ev: LiveEvent, handled: number) => void;

export class EventHub {
  private readonly sinks = new Set<Live>();
  private readonly unsubscribe: () => void;
  private closed = false;

  /** `updates`: the core's event log; without it positions are plain ROWIDs and missed updates are not replayed. */
  constructor(private readonly source: ChatSource, private readonly json: JsonContract, private readonly gateway: Gateway, private readonly updates: UpdateLog | null = null) {
    this.unsubscribe = gateway.onEvent((env) => this.publish(env));
  }

  get clients(): number {
    return this.sinks.size;
  }

  publish(env: EventEnvelope): void {
    if (!isStreamed(env.event)) return;
    const ev = fromBridgeEvent(env.event, env.key, this.updates ? env.seq : null, this.json);
    const handled = this.gateway.handledThrough();
    for (const sink of [...this.sinks]) sink(ev, handled);
  }

  /**
   * Start a subscription. With `from`, rows after its ROWID are replayed
   * first, then (when it has a seq) updates logged after its seq.
   * Resolves once the replay is done and the subscriber is live, or as soon as
   * `signal` aborts (the client left: the replay stops, the subscription closes).
   */
  async subscribe(from: Position | null, sink: Sink, signal?: AbortSignal): Promise<Subscription> {
    const tracker = new ResumeTracker(from?.rowid ?? this.gateway.handledThrough());
    // Updates logged at or below `seqMark` were delivered (or predate a client that did not ask for them).
    const last = this.updates?.lastSeq() ?? 0;
    let seqMark: number | null = this.updates ? Math.min(from?.seq ?? last, last) : null;
    const replayUpdates = this.updates !== null && from?.seq != null;
    let buffer: [LiveEvent, number][] | null = from === null ? null : [];
    let open = true;
    // Keys of updates the replay re-derived from chat.db rows: the core may log and emit them a moment later.
    const derived = new Set<string>();
    // cap: see ResumeTracker.advance; -Infinity while replaying.
    const deliver = (ev: LiveEvent, handled: number, cap: number): void => {
      if (ev.id !== null ? !tracker.accept(ev.id) : (seqMark !== null && ev.seq !== null && ev.seq <= seqMark) || (ev.seq !== null && derived.has(ev.key))) return;
      const rowid = ev.id === null ? tracker.resumePoint : tracker.advance(handled, cap);
      // Any live event may move the mark: the core emits in seq order, so every update before it reached us.
      if (seqMark !== null && ev.seq !== null && ev.seq > seqMark) seqMark = ev.seq;
      sink(ev, { rowid, seq: seqMark });
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
    if (from === null) return sub;
    const stillWanted = (): boolean => open && !this.closed;
    const replayed = (ev: LiveEvent): void => deliver(ev, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY);
    // A client that asked for updates (a seq) also gets those only a row's current state still shows.
    const replayedUpdate = from.seq === null ? null : (ev: LiveEvent): void => { derived.add(ev.key); replayed(ev); };
    try {
      await this.replay(from.rowid, tracker, stillWanted, replayed, replayedUpdate);
      // After the rows, so an edit never comes before the message it edits.
      if (replayUpdates && seqMark !== null && stillWanted()) await this.replayUpdates(seqMark, stillWanted, replayed);
    } catch (err) {
      sub.close();
      throw err;
    }
    if (!stillWanted()) return sub;
    const pending = buffer ?? [];
    buffer = null;
    for (const [ev, handled] of pending) deliver(ev, handled, ev.id ?? Number.POSITIVE_INFINITY);
    return sub;
  }

  private async replayUpdates(after: number, stillWanted: () => boolean, deliver: (ev: LiveEvent) => void): Promise<void> {
    for (let pos = after; ;) {
      if (!stillWanted()) return;
      const envs = this.updates!.after(pos, UPDATE_BATCH);
      for (const env of envs) {
        if (!stillWanted()) return;
        pos = env.seq;
        if (UPDATE_TYPES.has(env.event.type)) deliver(fromBridgeEvent(env.event, env.key, env.seq, this.json));
      }
      if (envs.length < UPDATE_BATCH) return;
      await new Promise((r) => setImmediate(r));
    }
  }

  private async replay(after: number, tracker: ResumeTracker, stillWanted: () => boolean, deliver: (ev: LiveEvent) => void, deliverUpdate: ((ev: LiveEvent) => void) | null): Promise<void> {
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
        if (chat) {
          const evs = rowEvents(m, chat, this.updates, this.json, deliverUpdate !== null);
          if (evs.row) deliver(evs.row);
          for (const u of evs.updates) deliverUpdate?.(u);
        }
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
