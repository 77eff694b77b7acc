// Fills the search index from chat.db: from where it stopped to the newest
// row, in batches (one transaction each), yielding between batches so the API
// keeps answering. A progress bar is drawn only when stderr is a terminal.
import cliProgress from 'cli-progress';
import type { MessageReader } from '../source.ts';
import type { SearchIndex } from './index.ts';

export interface BackfillOptions {
  identity: string;
  batch?: number;
  progress?: boolean;
  isStopped?: () => boolean;
}

export async function backfillSearch(index: SearchIndex, reader: MessageReader, opts: BackfillOptions): Promise<{ indexed: number; seconds: number }> {
  const started = performance.now();
  const batch = opts.batch ?? 2000;
  const max = reader.maxRowid();
  let cursor = index.backfillThrough(opts.identity);
  // A chat.db whose newest row is below our mark was replaced: start over.
  if (cursor > max) { index.reset(opts.identity); cursor = 0; }
  index.markBackfilled(opts.identity, cursor);
  const bar = opts.progress && process.stderr.isTTY
    ? new cliProgress.SingleBar({ format: 'search index |{bar}| {percentage}% {value}/{total} rows {eta_formatted}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
    : null;
  const start = cursor;
  bar?.start(Math.max(0, max - start), 0);
  let indexed = 0;
  try {
    for (;;) {
      if (opts.isStopped?.()) break;
      const rows = reader.messagesAfter(cursor, batch);
      if (rows.length === 0) break;
      index.apply(rows);
      indexed += rows.length;
      cursor = rows[rows.length - 1]!.rowid;
      index.markBackfilled(opts.identity, cursor);
      bar?.update(Math.min(cursor, max) - start);
      if (rows.length < batch) break;
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    bar?.stop();
  }
  return { indexed, seconds: (performance.now() - started) / 1000 };
}
