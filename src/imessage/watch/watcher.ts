// The watcher: turns chat.db into an ordered stream of new rows and changes,
// without missing one. File events make it fast; the poll makes it certain.
// Every step reads what lies past the scan position, re-checks held rows,
// rescans recent rows for in-place changes, and hands one batch (items + the
// new cursor) to `onBatch`, which persists both atomically. What a step
// learns (scan position, holds, seen states) is kept only once `onBatch`
// returns: if anything throws, the next step reads the same rows again (the
// event keys make re-reading safe).
import type { Logger } from 'pino';
import { ChatDbHandle, type ChatDb } from '../db/index.ts';
import type { IMessage } from '../model.ts';
import { ChangeTracker } from './changes.ts';
import { FileSignals } from './fileSignals.ts';
import { Holds, type Held } from './holds.ts';
import { identityAt, sameFile } from './identity.ts';
import { awaitsOutcome, RecentRows } from './recentRows.ts';
import { resyncStart, type ResyncRange } from './resync.ts';
import type { CursorStore, WatchBatch, WatchItem } from './types.ts';

export interface WatcherOptions {
  dbPath: string;
  /** The process's chat.db handle (the daemon's); without it the watcher opens and owns its own. */
  chatDb?: ChatDbHandle;
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
  /** How long `isKnown` remembers (event keys are pruned after it): a resync never looks further back. */
  knownRetentionMs?: number;
  /** Where a consumer without a cursor starts: after the newest row (default) or at the beginning. */
  startAt?: 'end' | 'beginning';
  batchSize?: number;
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
export const DEFAULT_KNOWN_RETENTION_MS = 3 * 24 * 3600_000;
/** Keys of messages this close to the retention edge may be pruned any minute. */
const RETENTION_MARGIN_MS = 15 * 60_000;

interface Staged { scanPos: number; lastRescan: number; lastFullRescan: number; holds: Map<number, Held>; recent: Map<number, number>; identity: string; resync: ResyncRange | null }

export class ChatDbWatcher {
  private handle: ChatDbHandle | null = null;
  private ownsHandle = false;
  /** Reopen at the next step whatever the files say (after a failed step). */
  private reopenNext = false;
  /** Describes the open file at `cursor`; checked every step. */
  private identity = '';
  private savedIdentity = '';
  private cursor = 0;
  private scanPos = 0;
  /** When the last step succeeded: every row dated before it minus the rescan window was seen. */
  private lastGoodStepAt = Date.now();
  private resyncRange: ResyncRange | null = null;
  private holds = new Holds();
  private readonly changes = new ChangeTracker();
  private readonly recent = new RecentRows();
  private signals: FileSignals | null = null;
  private poll: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private lastRescan = 0;
  private lastFullRescan = 0;
  /** Resolves when no step is running (for stop). */
  private idle: Promise<void> = Promise.resolve();
  resyncs = 0;
  /** Completed passes and rescans: lets a caller (and a test) wait for "nothing more came after N passes" instead of for a time. */
  passes = 0;
  rescans = 0;

  constructor(private readonly o: WatcherOptions) {}

  async start(): Promise<void> {
    if (this.o.chatDb) {
      this.handle = this.o.chatDb;
    } else {
      this.handle = ChatDbHandle.open(this.o.dbPath, this.o.home === undefined ? {} : { home: this.o.home });
      this.ownsHandle = true;
    }
    const db = this.handle.reader;
    const stored = this.o.cursors.load(this.o.consumer);
    if (stored) {
      this.cursor = this.scanPos = stored.rowid;
      this.identity = this.savedIdentity = stored.identity;
      this.lastGoodStepAt = stored.updatedAt;
      if (!sameFile(db, this.handle.inode, stored.identity)) this.resync(db, `chat.db is not the file the cursor belongs to (was ${stored.identity}, now ${this.handle.inode})`);
    } else {
      this.cursor = this.o.startAt === 'beginning' ? 0 : db.maxRowid();
      this.scanPos = this.cursor;
      this.identity = this.savedIdentity = identityAt(db, this.handle.inode, this.cursor);
      this.o.cursors.save(this.o.consumer, this.cursor, this.identity);
      // A new consumer takes today's states as given: no "read" events for old messages.
      for (const m of db.changedSince(Date.now() - this.o.rescanWindowMs, this.cursor, this.cursor - FULL_RESCAN_ROWS)) this.changes.baseline(m);
      this.changes.commit();
      this.lastRescan = this.lastFullRescan = Date.now();
    }
    if (this.o.fileEvents !== false) {
      this.signals = new FileSignals({ dbPath: this.handle.path, debounceMs: this.o.debounceMs, onSignal: () => this.kick(), onError: (err) => this.o.log.warn({ err }, 'chat.db file watch error; the poll continues') });
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
    if (this.ownsHandle) this.handle?.close();
    this.handle = null;
  }

  /** Look now (also what file events and the poll call). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) { this.again = true; return; }
    this.running = true;
    this.idle = new Promise((resolve) => setImmediate(() => { this.runSteps(); resolve(); }));
  }

  /** The current chat.db reader (reopened when a file is replaced); null while chat.db can't be opened. Don't keep it. */
  reader(): ChatDb | null {
    try { return this.handle?.reader ?? null; } catch { return null; }
  }

  /** The handle the watcher reads through (the shared one, or its own). */
  get chatDb(): ChatDbHandle | null { return this.handle; }

  get fileEventsArmed(): number { return this.signals?.armCount ?? 0; }
  /** Whether the current file watch has finished its initial scan. */
  get fileEventsReady(): boolean { return this.signals?.ready ?? false; }
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
      // Whatever failed (a replaced file, a closed connection), the next step starts from a fresh one.
      this.reopenNext = true;
    } finally {
      this.running = false;
    }
    if (more || this.again) this.kick();
  }

  /** One pass; returns true when a full page was read (more may be waiting). */
  private step(): boolean {
    const now = Date.now();
    // A reader whose -wal/-shm were deleted keeps the old shared memory and goes
    // blind to new commits, so a replaced sidecar means reopening too (the handle checks).
    const handle = this.handle!;
    if (this.reopenNext) { this.reopenNext = false; handle.reopen(); } else handle.refresh();
    const db = handle.reader;
    const inode = handle.inode;
    const staged = this.stage();
    try {
      const max = db.maxRowid();
      if (!sameFile(db, inode, this.identity)) this.resync(db, `chat.db was replaced (was ${this.identity}, now ${inode})`);
      else if (max < this.scanPos) this.resync(db, `MAX(ROWID) of chat.db went back from ${this.scanPos} to ${max}`);

      const items: WatchItem[] = [];
      this.recheckHeld(db, now, items);
      const limit = this.o.batchSize ?? 500;
      const rows = db.messagesAfter(this.scanPos, limit);
      for (const m of rows) if (this.unseen(m)) this.consider(m, now, items);
      if (rows.length > 0) this.scanPos = rows[rows.length - 1]!.rowid;
      if (this.resyncRange && this.scanPos >= this.resyncRange.until) this.resyncRange = null;
      this.rescan(db, now, items);

      const cursor = (this.holds.minRowid() ?? this.scanPos + 1) - 1;
      const identity = cursor === this.cursor ? this.identity : identityAt(db, inode, cursor);
      if (items.length > 0 || cursor !== this.cursor || identity !== this.savedIdentity) {
        this.o.onBatch({ items, cursor, identity });
        this.savedIdentity = identity;
      }
      this.cursor = cursor;
      this.identity = identity;
      this.changes.commit();
      this.lastGoodStepAt = now;
      this.passes++;
      return rows.length === limit;
    } catch (err) {
      this.unstage(staged);
      throw err;
    }
  }

  private stage(): Staged {
    return { scanPos: this.scanPos, lastRescan: this.lastRescan, lastFullRescan: this.lastFullRescan, holds: this.holds.snapshot(), recent: this.recent.snapshot(), identity: this.identity, resync: this.resyncRange };
  }

  private unstage(s: Staged): void {
    this.scanPos = s.scanPos;
    this.lastRescan = s.lastRescan;
    this.lastFullRescan = s.lastFullRescan;
    this.holds.restore(s.holds);
    this.recent.restore(s.recent);
    this.identity = s.identity;
    this.resyncRange = s.resync;
    this.changes.discard();
  }

  /** During a resync, rows that may have been relayed already go out only if dated after the cutoff and unknown. */
  private unseen(m: IMessage): boolean {
    const r = this.resyncRange;
    if (!r || m.rowid > r.until) return true;
    return (m.date === null || m.date >= r.cutoff) && !(this.o.isKnown?.(m) ?? false);
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
      // If it flips after all, that still confirms our send (a `from_me` change).
      this.recent.add(m.rowid, now + this.o.rescanWindowMs);
    }
    // Order within a chat: a later row waits for an earlier one held for its flip.
    if (this.holds.blocksChat(m.chatGuid, m.rowid)) { this.holds.hold(m, 'behind', now); return; }
    this.holds.release(m.rowid);
    this.changes.baseline(m);
    if (awaitsOutcome(m)) this.recent.add(m.rowid, now + this.o.rescanWindowMs);
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
    this.rescans++;
    if (full) this.lastFullRescan = now;
    const fresh = new Set(items.map((i) => i.message.guid));
    const look = (m: IMessage): void => {
      if (m.fromMe && (m.error !== 0 || m.isDelivered)) this.recent.drop(m.rowid);
      else if (awaitsOutcome(m) && m.rowid <= this.scanPos) this.recent.add(m.rowid, (m.date ?? now) + this.o.rescanWindowMs);
      if (this.holds.has(m.rowid) || fresh.has(m.guid) || m.chatGuid === null) return;
      for (const change of this.changes.diff(m, since)) items.push({ type: 'change', message: m, change });
    };
    const seen = new Set<number>();
    for (const m of db.changedSince(since, this.scanPos, this.scanPos - (full ? FULL_RESCAN_ROWS : QUICK_RESCAN_ROWS))) { seen.add(m.rowid); look(m); }
    // Changes without a date (a late delivery error, a late flip): re-read by ROWID.
    const again = this.recent.due(now).filter((r) => !seen.has(r));
    const found = db.messagesByRowids(again);
    const present = new Set(found.map((m) => m.rowid));
    for (const r of again) if (!present.has(r)) this.recent.drop(r);
    for (const m of found) look(m);
  }

  /**
   * The file was replaced or rewound: ROWIDs past and present don't match.
   * Neither skip nor replay: read again every row dated after we last had
   * seen everything (minus the rescan window, never beyond what the event
   * keys remember) and relay only those not relayed before.
   */
  private resync(db: ChatDb, reason: string): void {
    this.resyncs++;
    const now = Date.now();
    const max = db.maxRowid();
    const retention = this.o.knownRetentionMs ?? DEFAULT_KNOWN_RETENTION_MS;
    const cutoff = Math.max(this.lastGoodStepAt - this.o.rescanWindowMs, now - retention + RETENTION_MARGIN_MS);
    const from = Math.min(resyncStart(db, cutoff, max), max);
    this.holds.clear();
    // ROWIDs of the old file mean nothing here.
    this.recent.restore(new Map());
    this.scanPos = from;
    this.resyncRange = { until: max, cutoff };
    this.identity = identityAt(db, this.handle!.inode, from);
    this.o.log.warn({ reason, maxRowid: max, rereadFrom: from, cutoff: new Date(cutoff).toISOString() }, 'chat.db changed under us; resynchronizing (relaying only messages not seen before)');
  }
}
