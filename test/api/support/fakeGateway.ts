// A Gateway fake: records sends, lets the test settle fates and emit events.
// `feed` polls chat.db like the watcher and emits message events in order.
// With `log` set it behaves like the core: every event is appended to the
// event log first (which gives it its seq), then emitted.
import type { BridgeEvent, EventEnvelope, SendFate, SendIntent, SendReceipt } from '../../../src/core/events.ts';
import type { EventLog } from '../../../src/core/store/eventLog.ts';
import { outboxId, type ChatGuid } from '../../../src/ids.ts';
import type { Gateway } from '../../../src/api/gateway.ts';
import type { MessageReader } from '../../../src/api/source.ts';
import { chatFromGuid } from '../../../src/core/mirror/index.ts';
import { decideSend, type SendScope } from '../../../src/core/send/policy.ts';
import type { SendAsk } from '../../../src/core/send/gate.ts';

export class FakeGateway implements Gateway {
  readonly sent: SendReceipt[] = [];
  mirrored = new Set<string>();
  /** The API's scope in the core's send policy (the harness sets it from api.send_restriction). */
  scope: SendScope = { kind: 'api', restriction: 'none', allowlist: [] };
  private readonly fates = new Map<string, SendReceipt>();
  private readonly fateCbs = new Set<(r: SendReceipt) => void>();
  private readonly eventCbs = new Set<(e: EventEnvelope) => void>();
  private seq = 0;
  private pollTimer: NodeJS.Timeout | null = null;

  /** The core's real policy decision (src/core/send/policy.ts), with `mirrored` standing in for the mirror policy. */
  check(ask: SendAsk): void {
    const chat = chatFromGuid(ask.chatGuid);
    const refusal = decideSend(this.scope, { chat, from: ask.from, mirroredTo: () => this.mirrored.has(chat.guid), mirroredAnywhere: () => this.mirrored.has(chat.guid), permissions: undefined });
    if (refusal) throw refusal;
  }

  async send(intent: SendIntent): Promise<SendReceipt> {
    this.check(intent);
    const r: SendReceipt = { id: outboxId(`ob-${++this.seq}`), intent, fate: { state: 'queued' } };
    this.sent.push(r);
    this.fates.set(r.id, r);
    return r;
  }
  fate(id: string): SendReceipt | null { return this.fates.get(id) ?? null; }
  settle(id: string, fate: SendFate): void {
    const r = this.fates.get(id);
    if (!r) throw new Error(`no send ${id}`);
    const next = { ...r, fate };
    this.fates.set(id, next);
    for (const cb of this.fateCbs) cb(next);
  }
  onFate(cb: (r: SendReceipt) => void): () => void { this.fateCbs.add(cb); return () => this.fateCbs.delete(cb); }
  onEvent(cb: (e: EventEnvelope) => void): () => void { this.eventCbs.add(cb); return () => this.eventCbs.delete(cb); }
  isMirrored(chat: ChatGuid): boolean { return this.mirrored.has(chat); }
  /** The core's watcher cursor stand-in: `feed` moves it; tests that emit by hand set it. */
  handled = 0;
  handledThrough(): number { return this.handled; }
  get eventListeners(): number { return this.eventCbs.size; }

  emit(env: EventEnvelope): void { for (const cb of this.eventCbs) cb(env); }

  /** The core's event log, when the test wants seqs from it (the API's `eventLog`). */
  log: EventLog | null = null;

  /** Log (when `log` is set) and emit, like the core; a key already logged is not emitted again. */
  publish(key: string, event: BridgeEvent): EventEnvelope | null {
    const env = this.log ? this.log.append(key, event.chat.guid, event) : { seq: ++this.seq, key, chatGuid: event.chat.guid, event };
    if (env) this.emit(env);
    return env;
  }

  /** Watcher stand-in: poll chat.db after `from` and emit each new row once, in order. */
  feed(reader: MessageReader, from: number, intervalMs = 20): void {
    let cursor = from;
    const tick = (): void => {
      for (let rows = reader.messagesAfter(cursor, 500); rows.length > 0; rows = reader.messagesAfter(cursor, 500)) {
        for (const m of rows) {
          const chat = m.chatGuid ? reader.chat(m.chatGuid) : null;
          cursor = m.rowid;
          this.handled = cursor;
          if (!chat) continue;
          this.publish(`msg:${m.guid}`, { type: 'message', chat, message: m, sentBy: null });
        }
      }
      this.pollTimer = setTimeout(tick, intervalMs);
    };
    tick();
  }
  stopFeed(): void { if (this.pollTimer) clearTimeout(this.pollTimer); this.pollTimer = null; }
}
