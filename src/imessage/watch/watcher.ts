// The watcher: turns chat.db into an ordered stream of new rows and changes,
// without missing one. File events make it fast; the poll makes it certain.
// Every step reads what lies past the scan position, re-checks held rows,
// rescans recent rows for in-place changes, and hands one batch (items + the
// new cursor) to `onBatch`, which persists both atomically.
import type { Logger } from 'pino';
import { ChatDb } from '../db/index.ts';
import type { IMessage } from '../model.ts';
import { ChangeTracker } from './changes.ts';
import { FileSignals } from './fileSignals.ts';
import { Holds } from './holds.ts';
import { identityString, inodeOf, sameFile, type FileIdentity } from './identity.ts';
import type { CursorStore, WatchBatch, WatchItem } from './types.ts';

export interface WatcherOptions {
  dbPath: string;
  consumer: string;
  cursors: CursorStore;
  onBatch: (batch: WatchBatch) => void;
  log: Logger;
  home?: string;
  pollIntervalMs: number;
  debounceMs: number;
  rescanWindowMs: number;
  orphanRetryMs: number;
  /** How long an is_from_me=0 row that looks like our pending send is held for its flip. */
  flipHoldMs?: number;
  /** Off for benches and tests: the poll alone then finds new rows. */
  fileEvents?: boolean;
  /** Does this inbound-looking row match a send of ours still waiting for confirmation? */
  isOwnPendingSend?: (m: IMessage) => boolean;
  /** Was this message already relayed (resync after the file was replaced)? */
  isKnown?: (m: IMessage) => boolean;
  /** Where a consumer without a cursor starts: after the newest row (default) or at the beginning. */
  startAt?: 'end' | 'beginning';
  batchSize?: number;
  /** At most this many of the newest rows are examined on a resync. */
  resyncScanRows?: number;
}

/** Changes are looked for at most this often; new rows are never throttled. */
const RESCAN_EVERY_MS = 500;
/** A quick rescan looks back to the previous one minus this slack (commit lag, clock steps). */
const RESCAN_OVERLAP_MS = 5_000;
const FULL_RESCAN_EVERY_MS = 5 * 60_000;
/**
 * Edits (≤ 15 min), unsends (≤ 2 min) and delivery touch the newest rows, so
 * a quick rescan reads only the last QUICK_RESCAN_ROWS; read receipts can come
 * days later, so the periodic full rescan reads the last FULL_RESCAN_ROWS.
 * Either way a poll never reads the whole table (1M rows ≈ 200 ms).
 */
const QUICK_RESCAN_ROWS = 2_000;
const FULL_RESCAN_ROWS = 50_000;

export class ChatDbWatcher {
  private db: ChatDb | null = null;
  private dbInode = '';
  private openedSignature = '';
  private identity: FileIdentity = { inode: 'missing', firstGuid: '' };
  private cursor = 0;
  private cursorUpdatedAt = 0;
  private scanPos = 0;
  private readonly holds = new Holds();
  private readonly changes = new ChangeTracker();
  private signals: FileSignals | null = null;
  private poll: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private lastRescan = 0;
  private lastFullRescan = 0;
  /** Rows a resync found unseen; relayed by the next step. */
  private readonly replay: IMessage[] = [];
  /** Resolves when no step is running (for stop). */
  private idle: Promise<void> = Promise.resolve();
  resyncs = 0;

  constructor(private readonly o: WatcherOptions) {}

  async start(): Promise<void> {
    this.openDb();
    const stored = this.o.cursors.load(this.o.consumer);
    const max = this.db!.maxRowid();
    if (stored) {
      this.cursor = stored.rowid;
      this.cursorUpdatedAt = stored.updatedAt;
      this.scanPos = stored.rowid;
    } else {
      this.cursor = this.o.startAt === 'beginning' ? 0 : max;
      this.scanPos = this.cursor;
      this.cursorUpdatedAt = Date.now();
      this.o.cursors.save(this.o.consumer, this.cursor, identityString(this.identity));
      // A new consumer takes today's states as given: no "read" events for old messages.
      for (const m of this.db!.changedSince(Date.now() - this.o.rescanWindowMs, this.cursor, this.cursor - FULL_RESCAN_ROWS)) this.changes.baseline(m);
      this.lastRescan = this.lastFullRescan = Date.now();
    }
    if (stored && !sameFile(stored.identity, this.identity)) this.resync(`chat.db is not the file the cursor belongs to (was ${stored.identity}, now ${identityString(this.identity)})`);
    if (this.o.fileEvents !== false) {
      this.signals = new FileSignals({ dbPath: this.o.dbPath, debounceMs: this.o.debounceMs, onSignal: () => this.kick(), onError: (err) => this.o.log.warn({ err }, 'chat.db file watch error; the poll continues') });
      this.signals.start();
    }
    this.poll = setInterval(() => { this.signals?.checkInodes(); this.kick(); }, this.o.pollIntervalMs);
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    await this.signals?.close();
    await this.idle;
    this.db?.close();
    this.db = null;
  }

  /** Look now (also what file events and the poll call). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) { this.again = true; return; }
    this.running = true;
    this.idle = new Promise((resolve) => setImmediate(() => { this.runSteps(); resolve(); }));
  }

  /** The open chat.db reader (reopened when the file is replaced). */
  reader(): ChatDb | null { return this.db; }

  get fileEventsArmed(): number { return this.signals?.armCount ?? 0; }
  get position(): { cursor: number; scanPos: number; held: number } { return { cursor: this.cursor, scanPos: this.scanPos, held: this.holds.size }; }

  private runSteps(): void {
    let more = false;
    try {
      // A few pages per turn, then yield: a big backlog must not starve the delivery loops.
      for (let pages = 0; pages < 4 && !this.stopped; pages++) {
        this.again = false;
        more = this.step();
        if (!more && !this.again) break;
      }
    } catch (err) {
      more = false;
      this.again = false;
      this.o.log.warn({ err, dbPath: this.o.dbPath }, 'reading chat.db failed; retrying at the next poll');
      if (err instanceof Error && /not a database|no such table|disk image/i.test(err.message)) this.openedSignature = '';
    } finally {
      this.running = false;
    }
    if (more || this.again) this.kick();
  }

  /** One pass; returns true when a full page was read (more may be waiting). */
  private step(): boolean {
    const now = Date.now();
    const before = identityString(this.identity);
    // A reader whose -wal/-shm were deleted keeps the old shared memory and goes
    // blind to new commits, so a replaced sidecar means reopening too.
    if (this.fileSignature() !== this.openedSignature) this.openDb();
    const db = this.db!;
    this.identity = { inode: this.dbInode, firstGuid: db.messagesAfter(0, 1)[0]?.guid ?? '' };
    const max = db.maxRowid();
    if (!sameFile(before, this.identity)) this.resync(`chat.db was replaced (was ${before}, now ${identityString(this.identity)})`);
    else if (max < this.scanPos) this.resync(`MAX(ROWID) of chat.db went back from ${this.scanPos} to ${max}`);

    const items: WatchItem[] = [];
    for (const m of this.replay.splice(0)) this.consider(m, now, items);
    this.recheckHeld(db, now, items);
    const limit = this.o.batchSize ?? 500;
    const rows = db.messagesAfter(this.scanPos, limit);
    for (const m of rows) this.consider(m, now, items);
    if (rows.length > 0) this.scanPos = rows[rows.length - 1]!.rowid;
    this.rescan(db, now, items);

    const cursor = (this.holds.minRowid() ?? this.scanPos + 1) - 1;
    const identity = identityString(this.identity);
    if (items.length > 0 || cursor !== this.cursor || identity !== before) {
      this.o.onBatch({ items, cursor, identity });
      this.cursor = cursor;
      this.cursorUpdatedAt = now;
    }
    return rows.length === limit;
  }

  /** New row (or a held one seen again): relay it, or hold it. */
  private consider(m: IMessage, now: number, items: WatchItem[]): void {
    const held = this.holds.get(m.rowid);
    if (m.chatGuid === null) {
      if (held?.reason === 'orphan' && now - held.since > this.o.orphanRetryMs) {
        this.holds.release(m.rowid);
        this.o.log.warn({ guid: m.guid, rowid: m.rowid, waitedMs: now - held.since }, 'message never got its chat; it is skipped');
        items.push({ type: 'orphan_expired', message: m });
      } else if (this.holds.hold(m, 'orphan', now)) {
        items.push({ type: 'orphan', message: m });
      }
      return;
    }
    if (!m.fromMe && this.o.isOwnPendingSend?.(m)) {
      const waited = held?.reason === 'flip' ? now - held.since : 0;
      if (waited <= (this.o.flipHoldMs ?? 10_000)) { this.holds.hold(m, 'flip', now); return; }
      this.o.log.info({ guid: m.guid, waitedMs: waited }, 'row resembling our send never became is_from_me; relaying it as inbound');
    }
    this.holds.release(m.rowid);
    this.changes.baseline(m);
    items.push({ type: 'new', message: m });
  }

  private recheckHeld(db: ChatDb, now: number, items: WatchItem[]): void {
    const ids = this.holds.rowids();
    if (ids.length === 0) return;
    const found = new Map(db.messagesByRowids(ids).map((m) => [m.rowid, m]));
    for (const id of ids) {
      const m = found.get(id);
      if (m) this.consider(m, now, items);
      else this.holds.release(id);
    }
  }

  private rescan(db: ChatDb, now: number, items: WatchItem[]): void {
    if (now - this.lastRescan < RESCAN_EVERY_MS) return;
    const full = now - this.lastFullRescan >= FULL_RESCAN_EVERY_MS;
    const since = full ? now - this.o.rescanWindowMs : Math.max(now - this.o.rescanWindowMs, this.lastRescan - RESCAN_OVERLAP_MS);
    this.lastRescan = now;
    if (full) this.lastFullRescan = now;
    const fresh = new Set(items.map((i) => i.message.guid));
    for (const m of db.changedSince(since, this.scanPos, this.scanPos - (full ? FULL_RESCAN_ROWS : QUICK_RESCAN_ROWS))) {
      if (this.holds.has(m.rowid) || fresh.has(m.guid) || m.chatGuid === null) continue;
      for (const change of this.changes.diff(m, since)) items.push({ type: 'change', message: m, change });
    }
  }

  /**
   * The file was replaced or rewound: ROWIDs past and present don't match.
   * Neither skip nor replay: look at the newest rows dated after we last moved
   * (minus the rescan window) and relay only those not relayed before.
   */
  private resync(reason: string): void {
    const db = this.db!;
    this.resyncs++;
    const max = db.maxRowid();
    const scan = this.o.resyncScanRows ?? 5000;
    const cutoff = this.cursorUpdatedAt - this.o.rescanWindowMs;
    this.holds.clear();
    const candidates = db.messagesAfter(Math.max(0, max - scan), scan)
      .filter((m) => (m.date === null || m.date >= cutoff) && !(this.o.isKnown?.(m) ?? false));
    this.o.log.warn({ reason, maxRowid: max, examined: Math.min(scan, max), toRelay: candidates.length }, 'chat.db changed under us; resynchronizing (relaying only messages not seen before)');
    this.scanPos = max;
    this.replay.push(...candidates);
  }

  private fileSignature(): string {
    return ['', '-wal', '-shm'].map((s) => inodeOf(this.o.dbPath + s)).join(',');
  }

  private openDb(): void {
    this.db?.close();
    this.dbInode = inodeOf(this.o.dbPath);
    this.openedSignature = this.fileSignature();
    this.db = ChatDb.open(this.o.dbPath, this.o.home === undefined ? {} : { home: this.o.home });
    this.identity = { inode: this.dbInode, firstGuid: this.db.messagesAfter(0, 1)[0]?.guid ?? '' };
  }
}
