// Watching chat.db: file events + poll, per-consumer ROWID cursors tied to the
// file's identity, orphan retry, flip holds and change rescans.
export { ChatDbWatcher, DEFAULT_KNOWN_RETENTION_MS, type WatcherOptions } from './watcher.ts';
export { ChangeTracker, type ChangeKind } from './changes.ts';
export { MemoryCursorStore, type CursorStore, type StoredCursor, type WatchBatch, type WatchItem } from './types.ts';
export { identityAt, sameFile } from './identity.ts';
