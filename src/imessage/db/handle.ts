// ChatDbHandle: the process's one access to chat.db. The daemon opens one and
// hands it to the watcher, the API and the connectors; everything reads
// through it, and nothing else opens the file. Two reasons:
// - POSIX drops every fcntl lock a process holds on a file when *any* of its
//   descriptors for that file closes. A second open/close (a plain fs check, a
//   second reader) strips SQLite's locks, so Messages' last close then deletes
//   -wal/-shm under us.
// - Within one process SQLite shares one mapping of -shm per database file
//   among all connections. When -wal/-shm are replaced, a connection opened
//   while another one is still open inherits the stale mapping and never sees
//   a new commit. So a replaced sidecar means: close the connection, then open
//   a new one, never the other way round.
// Consumers must not keep a ChatDb: they call the handle's methods (or
// `reader`) each time, and get the connection that is current.
import { statSync } from 'node:fs';
import type { Attachment, Chat, IMessage } from '../model.ts';
import { ChatDb, type IterateOptions, type OpenOptions } from './index.ts';

export interface ChatPageQuery { before?: number; after?: number; limit: number }

/** "dev:ino" of a file, or "missing". */
export function inodeOf(path: string): string {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return 'missing';
  }
}

export class ChatDbHandle {
  private db: ChatDb | null = null;
  private signature = '';
  private dbInode = 'missing';
  private closed = false;
  private readonly reopenListeners = new Set<() => void>();
  /** How many times a connection was opened (tests, diagnostics). */
  opens = 0;

  private constructor(readonly path: string, private readonly opts: OpenOptions) {}

  /** Open chat.db (throws a ChatDbError with advice when it can't be read). */
  static open(path: string, opts: OpenOptions = {}): ChatDbHandle {
    const h = new ChatDbHandle(path, opts);
    h.reopen();
    return h;
  }

  /** The current reader, reopened first if chat.db or a sidecar was replaced. Use it for one call; don't keep it. */
  get reader(): ChatDb {
    this.refresh();
    return this.db!;
  }

  /** dev:ino of the chat.db file the current connection has open. */
  get inode(): string {
    return this.dbInode;
  }

  /**
   * Reopen when chat.db, -wal or -shm changed identity since the connection
   * was opened (or when it is not open: a failed reopen is retried here).
   * True when it reopened.
   */
  refresh(): boolean {
    if (this.closed) throw new Error('the chat.db handle is closed');
    if (this.db && this.fileSignature() === this.signature) return false;
    this.reopen();
    return true;
  }

  /**
   * Close the connection, then open a new one. If the open fails the handle
   * stays closed (every read throws the ChatDbError) until a later call
   * succeeds.
   */
  reopen(): void {
    if (this.closed) throw new Error('the chat.db handle is closed');
    this.db?.close();
    this.db = null;
    const signature = this.fileSignature();
    const inode = inodeOf(this.path);
    this.db = ChatDb.open(this.path, this.opts);
    this.opens++;
    this.signature = signature;
    this.dbInode = inode;
    for (const cb of [...this.reopenListeners]) cb();
  }

  /** Called after every reopen (drop caches keyed by ROWID or statement). Returns an unsubscribe. */
  onReopen(cb: () => void): () => void {
    this.reopenListeners.add(cb);
    return () => this.reopenListeners.delete(cb);
  }

  /** Only the owner (whoever opened it) closes it. */
  close(): void {
    this.closed = true;
    this.db?.close();
    this.db = null;
    this.reopenListeners.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // The reads, each on the current connection.
  maxRowid(): number { return this.reader.maxRowid(); }
  countAfter(rowid: number): number { return this.reader.countAfter(rowid); }
  messagesAfter(rowid: number, limit: number): IMessage[] { return this.reader.messagesAfter(rowid, limit); }
  messageByGuid(guid: string): IMessage | null { return this.reader.messageByGuid(guid); }
  messagesByRowids(rowids: number[]): IMessage[] { return this.reader.messagesByRowids(rowids); }
  changedSince(sinceMs: number, maxRowid: number, minRowid = 0): IMessage[] { return this.reader.changedSince(sinceMs, maxRowid, minRowid); }
  chats(): Chat[] { return this.reader.chats(); }
  chat(guidOrHandle: string): Chat | null { return this.reader.chat(guidOrHandle); }
  attachment(messageGuid: string, part: number): Attachment | null { return this.reader.attachment(messageGuid, part); }
  chatMessageIds(chatRowid: number, q: ChatPageQuery): number[] { return this.reader.chatMessageIds(chatRowid, q); }
  /** Lazily paged; a reopen between pages ends the iteration with an error, so consume it in one go. */
  iterateMessages(o: IterateOptions = {}): IterableIterator<IMessage> { return this.reader.iterateMessages(o); }
  get columns(): ReadonlySet<string> { return this.reader.columns; }

  private fileSignature(): string {
    return ['', '-wal', '-shm'].map((s) => inodeOf(this.path + s)).join(',');
  }
}
