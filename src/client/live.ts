// Resumable live events, over SSE or WebSocket. The server's event ids are
// resume positions (`<rowid>` or `<rowid>:<seq>`); on any disconnect this
// reconnects with the last one it handed out, so nothing is lost, and drops
// the repeats a replay may bring (same `key`, same effect). Fates of this
// token's own sends go to `onFate`: they are live only, never replayed.
import { BridgeApiError } from './errors.js';
import type { FateFrame, LiveEvent } from './types.js';

export interface LiveOptions {
  /** Resume after this position (one you stored from `lastEventId`). Default: from now on. */
  lastEventId?: string;
  /** Ends the stream (the iterator then returns). */
  signal?: AbortSignal;
  /** Fates of this token's own sends (send-scope tokens only). */
  onFate?: (fate: FateFrame) => void;
  /** Connected / disconnected (it reconnects by itself). */
  onState?: (connected: boolean) => void;
  /** First reconnect delay; it doubles on each failure up to maxRetryMs. Default: the server's `retry:` (2 s). */
  retryMs?: number;
  maxRetryMs?: number;
  /** SSE: reconnect when not even a heartbeat came for this long (the server pings every 15 s). Default 45 s. */
  idleMs?: number;
}

/** What a transport hands the stream: an event with the position after it, or a fate. */
export type Delivery = { event: LiveEvent; position: string | null } | { fate: FateFrame };

/**
 * One connection: resolves when it ends in a way a reconnect may cure,
 * rejects (with a BridgeApiError) when it cannot (a bad token, a bad position).
 */
export type Connect = (from: string | null, signal: AbortSignal, deliver: (d: Delivery) => void, opened: (retryMs?: number) => void) => Promise<void>;

const REMEMBERED_KEYS = 4096;

/** Is a failed (re)connection worth retrying? Auth and bad input are not; overload and outages are. */
export const isFatal = (err: unknown): boolean =>
  err instanceof BridgeApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;

export class LiveStream implements AsyncIterable<LiveEvent> {
  private position: string | null;
  private readonly queue: LiveEvent[] = [];
  private wake: (() => void) | null = null;
  private failure: unknown = null;
  private ended = false;
  private readonly stop = new AbortController();
  private readonly seen = new Set<string>();
  private settleReady!: (err?: unknown) => void;
  /**
   * Resolves (to this stream) once the first connection is up, so what
   * happens after it is seen; rejects if the stream fails before that.
   */
  readonly ready: Promise<this>;

  constructor(private readonly connect: Connect, private readonly opts: LiveOptions = {}) {
    this.position = opts.lastEventId ?? null;
    this.ready = new Promise<this>((resolve, reject) => {
      this.settleReady = (err) => { if (err === undefined) resolve(this); else reject(err); };
    });
    // Nobody awaiting `ready` is fine: the iterator reports the failure too.
    this.ready.catch(() => undefined);
    if (opts.signal?.aborted) this.stop.abort();
    opts.signal?.addEventListener('abort', () => this.close(), { once: true });
    void this.run();
  }

  /** The position to resume from later (store it, pass it back as `lastEventId`). */
  get lastEventId(): string | null {
    return this.position;
  }

  close(): void {
    this.stop.abort();
    this.finish();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<LiveEvent> {
    try {
      for (;;) {
        const next = this.queue.shift();
        if (next) { yield next; continue; }
        if (this.failure) throw this.failure;
        if (this.ended) return;
        await new Promise<void>((r) => { this.wake = r; });
      }
    } finally {
      this.close();
    }
  }

  private push(d: Delivery): void {
    if ('fate' in d) { this.opts.onFate?.(d.fate); return; }
    if (d.position !== null) this.position = d.position;
    if (this.seen.has(d.event.key)) return;
    this.seen.add(d.event.key);
    if (this.seen.size > REMEMBERED_KEYS) this.seen.delete(this.seen.values().next().value as string);
    this.queue.push(d.event);
    this.poke();
  }

  private finish(err?: unknown): void {
    if (err !== undefined && !this.failure) this.failure = err;
    this.ended = true;
    this.settleReady(err ?? new Error('The live stream was closed before it connected.'));
    this.poke();
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async run(): Promise<void> {
    const max = this.opts.maxRetryMs ?? 30_000;
    let base = this.opts.retryMs ?? 2_000;
    let delay = base;
    while (!this.stop.signal.aborted) {
      let connected = false;
      try {
        await this.connect(this.position, this.stop.signal, (d) => this.push(d), (retry) => {
          connected = true;
          if (retry !== undefined && this.opts.retryMs === undefined) base = retry;
          delay = base;
          this.settleReady();
          this.opts.onState?.(true);
        });
      } catch (err) {
        if (this.stop.signal.aborted) break;
        if (isFatal(err)) { if (connected) this.opts.onState?.(false); this.finish(err); return; }
        if (err instanceof BridgeApiError && err.retryAfter) delay = Math.max(delay, err.retryAfter * 1000);
      }
      if (connected) this.opts.onState?.(false);
      if (this.stop.signal.aborted) break;
      await sleep(delay, this.stop.signal);
      delay = Math.min(delay * 2, max);
    }
    this.finish();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); }
    signal.addEventListener('abort', done, { once: true });
  });
}
