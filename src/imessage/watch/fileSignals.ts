// File events on chat.db, chat.db-wal and chat.db-shm. Each file gets its own
// watch (kqueue on macOS, which sees in-place WAL writes that directory
// FSEvents can miss), but such a watch is bound to the inode, and SQLite deletes
// and recreates -wal/-shm on checkpoints and Messages restarts. So the watch
// is re-armed whenever one of the files changes inode (BlueBubbles goes deaf
// exactly there, its #843). The poll is the safety net.
//
// chokidar's own events are not enough for that: it drops a file's events that
// come within 5 ms of the one before, and it diffs directory listings, so a WAL
// deleted and recreated between two listings (a checkpoint) yields no add or
// unlink, and its per-file watch can stay on the dead inode. Its 'raw' events
// are the operating system's own, unthrottled: the directory watch reports a
// write to the new WAL by name. So every raw event for our files signals, and
// every signal first compares the inodes and re-arms when they moved.
import { watch, type FSWatcher } from 'chokidar';
import { statSync } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface FileSignalsOptions {
  dbPath: string;
  debounceMs: number;
  onSignal: () => void;
  onError?: (err: unknown) => void;
}

const inodeOf = (p: string): string => {
  try {
    const s = statSync(p);
    return `${s.dev}:${s.ino}`;
  } catch {
    return 'missing';
  }
};

export class FileSignals {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inodes = '';
  private readonly names: Set<string>;
  private readonly dir: string;
  private closed = false;
  /** How many times the watch was (re)created; tests read it. */
  armCount = 0;
  /** Whether the current watch finished its initial scan (events before that may be missed). */
  ready = false;

  constructor(private readonly o: FileSignalsOptions) {
    const base = basename(o.dbPath);
    this.names = new Set([base, `${base}-wal`, `${base}-shm`]);
    this.dir = dirname(o.dbPath);
  }

  start(): void {
    this.arm();
  }

  /** Called from the poll: re-arm if a file was replaced behind our back (rename over it). */
  checkInodes(): void {
    if (!this.closed && this.currentInodes() !== this.inodes) this.arm();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const w = this.watcher;
    this.watcher = null;
    await w?.close();
  }

  private currentInodes(): string {
    return [...this.names].map((n) => inodeOf(`${this.dir}/${n}`)).join(',');
  }

  private arm(): void {
    const old = this.watcher;
    void old?.close().catch(() => undefined);
    this.inodes = this.currentInodes();
    this.armCount++;
    this.ready = false;
    const w = watch(this.dir, {
      ignoreInitial: true,
      depth: 0,
      // A checkpoint deletes and recreates the WAL within milliseconds; we want
      // the raw unlink/add to re-arm, not chokidar's merged "change".
      atomic: false,
      ignored: (p: string) => p !== this.dir && !this.names.has(basename(p)),
    });
    w.on('all', () => {
      if (!this.closed && this.watcher === w) this.signal();
    });
    w.on('raw', (_event, path: string | null, details) => {
      if (this.closed || this.watcher !== w) return;
      // A directory watch names the child; a file watch may name nothing.
      const name = basename(path || (details as { watchedPath?: string } | undefined)?.watchedPath || '');
      if (this.names.has(name) || !path) this.signal();
    });
    w.on('error', (err) => this.o.onError?.(err));
    w.on('ready', () => {
      if (this.watcher !== w) return;
      this.ready = true;
      // A write between the old watch closing and this one becoming ready made
      // no event anywhere: one pass after a re-arm finds it without the poll.
      if (this.armCount > 1) this.signal();
    });
    this.watcher = w;
  }

  private signal(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.closed) return;
      // Three stats per debounced burst: cheap, and it catches a replaced file
      // whatever shape its events took.
      this.checkInodes();
      this.o.onSignal();
    }, this.o.debounceMs);
  }
}
