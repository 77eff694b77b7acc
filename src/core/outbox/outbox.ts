// The one way back into Messages: a durable queue, sent one at a time, each
// send confirmed (or not) from chat.db. A send that was in flight during a
// crash becomes `unknown` — never retried blindly, since it may have gone out.
import { EventEmitter } from 'node:events';
import { isAbsolute } from 'node:path';
import type { Logger } from 'pino';
import { textWarnings, type SendAttempt, type SendRequest } from '../../imessage/send/index.ts';
import type { Chat, IMessage } from '../../imessage/model.ts';
import { isFinalState, type SendIntent, type SendReceipt } from '../events.ts';
import { badFile, emptySend, stopping } from '../errors.ts';
import type { AuditLog } from '../store/audit.ts';
import { receiptOf, type OutboxEntry, type OutboxStore } from '../store/outboxStore.ts';
import { chatIdentifier, contentMatches, findEntry, isGhostRow, normalizeText } from './match.ts';

export interface MessageSender { send(req: SendRequest): Promise<SendAttempt> }

export interface OutboxOptions {
  store: OutboxStore;
  audit: AuditLog;
  sender: MessageSender;
  resolveChat: (guidOrHandle: string) => Chat | null;
  confirmTimeoutMs: number;
  log: Logger;
  /** Retries for errors osascript calls retryable (Messages not running). */
  maxAttempts?: number;
  retryDelayMs?: number;
}

const ghostFate = (guid: string): Parameters<OutboxStore['update']>[1] => ({
  state: 'failed', messageGuid: guid, errorCode: 'ghost_row',
  errorReason: 'Messages reported success but left only an empty outgoing row with no chat (the macOS 26 "ghost row"): the message was not sent. Send it again, or send to the handle instead of the chat id.',
});

export class Outbox extends EventEmitter<{ fate: [SendReceipt] }> {
  private stopped = false;
  private pumping: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private recovered = false;
  private started = false;
  private readonly notBefore = new Map<string, number>();
  private readonly unannounced: OutboxEntry[] = [];
  /** Sends for which an empty chatless row (a possible ghost) was seen: judged when their confirm window ends. */
  private readonly ghostSeen = new Map<string, string>();

  constructor(private readonly o: OutboxOptions) { super(); }

  /**
   * Mark what a crash interrupted (`sending` → unknown). Must run before
   * anything can send (the watcher, the connectors), or a send queued during
   * startup would be taken for one the crash interrupted.
   */
  recover(): void {
    if (this.recovered) return;
    this.recovered = true;
    for (const e of this.o.store.inState(['sending'])) {
      this.settle(e, { state: 'unknown', errorReason: 'the bridge stopped while this message was being sent; it may or may not have been delivered, and is not retried automatically' });
    }
    this.flushFates();
  }

  /** Start sending (sends queued before this wait). Fates of recovered entries are announced by recover. */
  start(): void {
    this.recover();
    this.started = true;
    this.timer = setInterval(() => this.expire(), 500);
    this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.pumping;
  }

  /** Queue a send (durable once this returns). The send desk (src/core/send) has checked it; this checks content only. */
  enqueue(intent: SendIntent): SendReceipt {
    if (this.stopped) throw stopping();
    const hasText = intent.text !== undefined && normalizeText(intent.text) !== '';
    if (!hasText && !intent.file) throw emptySend();
    if (intent.file && (!isAbsolute(intent.file.path) || intent.file.name === '')) throw badFile(`"${intent.file.path}" must be an absolute path with a file name`);
    const e = this.o.store.insert(intent);
    this.audit(e, 'queued');
    this.announce(e);
    this.pump();
    return receiptOf(e);
  }

  receipt(id: string): SendReceipt | null {
    const e = this.o.store.get(id);
    return e ? receiptOf(e) : null;
  }

  /**
   * An is_from_me=0 row that looks like one of our sends not yet confirmed
   * (the flip): queued or sending, timed out (`unknown`) within the confirm
   * window — osascript may be killed after Messages did send — or the second
   * row of a text+file send.
   */
  isOwnPendingSend(m: IMessage): boolean {
    if (m.chatGuid === null) return false;
    const chat = chatIdentifier(m.chatGuid);
    const since = Date.now() - this.o.confirmTimeoutMs;
    const candidates = [...this.o.store.inState(['queued']), ...this.o.store.awaitingConfirmation(since), ...this.o.store.recentlySentWithFile(since).filter((e) => e.messageGuid !== m.guid)];
    return candidates.some((e) => chatIdentifier(e.intent.chatGuid) === chat && contentMatches(m, e));
  }

  /**
   * A row from chat.db (outgoing, or outgoing without chat: the ghost). Returns
   * the outbox entry it belongs to, for attribution; updates that entry's fate.
   * Runs inside the watcher's batch transaction; call flushFates after commit.
   */
  observe(m: IMessage): OutboxEntry | null {
    if (!m.fromMe) return null;
    const known = this.o.store.byGuid(m.guid);
    if (known) {
      if (m.error !== 0 && known.state === 'sent') return this.settle(known, { state: 'failed', errorCode: `error_${m.error}`, errorReason: `Messages marked the message as not delivered (error ${m.error})` });
      return known;
    }
    const since = Date.now() - this.o.confirmTimeoutMs;
    const entry = findEntry(m, this.o.store.awaitingConfirmation(since));
    if (!entry) return this.secondPart(m, since);
    if (isGhostRow(m)) return this.settle(entry, ghostFate(m.guid));
    if (m.error !== 0) return this.settle(entry, { state: 'failed', messageGuid: m.guid, errorCode: `error_${m.error}`, errorReason: `Messages marked the message as not delivered (error ${m.error})` });
    return this.settle(entry, { state: 'sent', messageGuid: m.guid, errorCode: null, errorReason: null });
  }

  /**
   * A chatless row, first sight. It may still get its chat and its text, so an
   * empty one is only remembered as a possible ghost of a send in progress;
   * the verdict comes when that send's confirm window ends (or the row's wait
   * for a chat does, through `observe`).
   */
  noteChatless(m: IMessage): void {
    if (!m.fromMe || !isGhostRow(m) || this.o.store.byGuid(m.guid)) return;
    const entry = findEntry(m, this.o.store.awaitingConfirmation(Date.now() - this.o.confirmTimeoutMs));
    if (entry && entry.state === 'sending') this.ghostSeen.set(entry.id, m.guid);
  }

  /** Announce fates recorded during a batch, once it is committed. */
  flushFates(): void {
    for (const e of this.unannounced.splice(0)) this.emit('fate', receiptOf(e));
  }

  /** A text+file send makes two rows; the second one is ours too. */
  private secondPart(m: IMessage, since: number): OutboxEntry | null {
    return this.o.store.recentlySentWithFile(since).find((e) => e.messageGuid !== m.guid && chatIdentifier(e.intent.chatGuid) === chatIdentifier(m.chatGuid ?? '') && contentMatches(m, e)) ?? null;
  }

  private settle(e: OutboxEntry, patch: Parameters<OutboxStore['update']>[1]): OutboxEntry {
    if (patch.state !== 'sending') this.ghostSeen.delete(e.id);
    const next = this.o.store.update(e.id, patch);
    if (isFinalState(next.state)) this.audit(next, next.state);
    this.unannounced.push(next);
    return next;
  }

  private announce(e: OutboxEntry): void {
    this.unannounced.push(e);
    this.flushFates();
  }

  private audit(e: OutboxEntry, result: string): void {
    const detail: Record<string, unknown> = { outbox_id: e.id };
    if (e.intent.text !== undefined) detail.text_length = e.intent.text.length;
    if (e.intent.file) detail.file_name = e.intent.file.name;
    if (e.intent.origin) detail.origin = e.intent.origin;
    if (e.messageGuid) detail.message_guid = e.messageGuid;
    if (e.errorCode) detail.error_code = e.errorCode;
    if (e.errorReason && result !== 'sent') detail.reason = e.errorReason;
    this.o.audit.record({ connector: e.intent.from.connector, userId: e.intent.from.userId, userName: e.intent.from.displayName, action: e.intent.file ? 'send_file' : 'send', chatGuid: e.intent.chatGuid, detail, result });
  }

  /** Sends that osascript accepted but chat.db never showed: unconfirmed. */
  private expire(): void {
    const now = Date.now();
    for (const e of this.o.store.inState(['sending'])) {
      if (e.sentAt !== null && now - e.sentAt > this.o.confirmTimeoutMs) {
        const ghost = this.ghostSeen.get(e.id);
        if (ghost !== undefined) { this.settle(e, ghostFate(ghost)); continue; }
        this.settle(e, { state: 'unknown', errorReason: `unconfirmed: Messages accepted the send but no matching row appeared in chat.db within ${Math.round(this.o.confirmTimeoutMs / 1000)} s` });
      }
    }
    this.flushFates();
  }

  private pump(): void {
    if (this.pumping || this.stopped || !this.started) return;
    this.pumping = this.drain().finally(() => { this.pumping = null; });
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const now = Date.now();
      const next = this.nextDue(now);
      if (!next) {
        const wait = Math.min(...[...this.notBefore.values()].map((t) => t - now).filter((ms) => ms > 0));
        if (Number.isFinite(wait)) {
          if (this.retryTimer) clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => { this.retryTimer = null; this.pump(); }, Math.max(10, wait));
        }
        return;
      }
      await this.sendOne(next);
    }
  }

  /** The oldest queued entry that may go now. Within a chat nothing overtakes an entry waiting to be retried. */
  private nextDue(now: number): OutboxEntry | null {
    const waiting = new Set<string>();
    for (const e of this.o.store.inState(['queued'], 500)) {
      const chat = chatIdentifier(e.intent.chatGuid);
      if (waiting.has(chat)) continue;
      if ((this.notBefore.get(e.id) ?? 0) > now) { waiting.add(chat); continue; }
      return e;
    }
    return null;
  }

  private async sendOne(queued: OutboxEntry): Promise<void> {
    this.notBefore.delete(queued.id);
    const e = this.settle(queued, { state: 'sending', attempts: queued.attempts + 1 });
    this.flushFates();
    const chat = this.o.resolveChat(e.intent.chatGuid);
    const req: SendRequest = { chatGuid: chat?.guid ?? e.intent.chatGuid, isGroup: chat?.isGroup ?? false, handle: chat && !chat.isGroup ? (chat.participants[0] ?? chat.identifier) : chatIdentifier(e.intent.chatGuid) };
    if (e.intent.text !== undefined && e.intent.text !== '') req.text = e.intent.text;
    if (e.intent.file) req.filePath = e.intent.file.path;
    let res: SendAttempt;
    try {
      res = await this.o.sender.send(req);
    } catch (err) {
      res = { ok: false, error: Object.assign(err instanceof Error ? err : new Error(String(err)), { code: 'unknown' as const, advice: 'Check the bridge log.', retryable: false, osaNumber: null }) as never };
    }
    const cur = this.o.store.get(e.id)!;
    if (res.ok) {
      // What argv could not carry was changed by the sender: said in the log and the audit, never silent.
      if (res.strippedNul || res.replacedSurrogates) {
        const notes = textWarnings(e.intent.text ?? '');
        this.o.log.warn({ outboxId: e.id, notes }, 'the text was changed to be sendable');
        for (const note of notes) this.o.audit.record({ connector: e.intent.from.connector, userId: e.intent.from.userId, userName: e.intent.from.displayName, action: 'note', chatGuid: e.intent.chatGuid, detail: { note }, result: 'warning' });
      }
      // The row may already have confirmed it (the watcher can be faster than osascript's exit).
      if (cur.state === 'sending') this.o.store.update(e.id, { state: 'sending', sentAt: Date.now() });
    } else if (cur.state === 'sending') {
      const err = res.error;
      if (err.code === 'timeout') {
        this.settle(cur, { state: 'unknown', errorCode: 'timeout', errorReason: `${err.message}. ${err.advice}` });
      } else if (err.retryable && cur.attempts < (this.o.maxAttempts ?? 3)) {
        this.o.log.warn({ outboxId: e.id, code: err.code, attempt: cur.attempts }, 'send failed; retrying');
        this.notBefore.set(e.id, Date.now() + (this.o.retryDelayMs ?? 5000) * cur.attempts);
        this.settle(cur, { state: 'queued' });
      } else {
        this.settle(cur, { state: 'failed', errorCode: err.code, errorReason: `${err.message}. ${err.advice}` });
      }
    }
    this.flushFates();
  }
}
