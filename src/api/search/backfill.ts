// Fills the search index from chat.db: from where it stopped to the newest
// row, in ROWID-ordered chunks (one transaction each), so the API keeps
// answering between them. On a large chat.db the rows are read and decoded
// in read processes (backfillWorker.ts) while this thread writes the index:
// decoding a lifetime of bodies costs more than indexing them, and the two
// overlap. Progress goes to `onProgress` (metrics) and, when stderr is a
// terminal, to a progress bar.
import { availableParallelism } from 'node:os';
import { describeExit, inOrderFromThreads, startModuleProcess, type Reader } from '../../threads.ts';
import cliProgress from 'cli-progress';
import type { MessageReader } from '../source.ts';
import type { SearchIndex } from './index.ts';
import { toChunk, type IndexChunk } from './rows.ts';

export interface ReadProcessSetup { path: string; home: string }
/** Messages with after < ROWID < before (no upper bound when before is null). */
export interface ChunkRequest { id: number; after: number; before: number | null }
export type ChunkReply = { id: number; chunk: IndexChunk } | { id: number; error: string };

export interface BackfillOptions {
  identity: string;
  /** Rows per transaction when reading on this thread; ROWIDs per chunk in read processes. */
  batch?: number;
  progress?: boolean;
  isStopped?: () => boolean;
  /** Read in this many processes from this chat.db; without it, through `reader` on this thread. */
  readers?: ReadProcessSetup & { count: number };
  /** After each chunk: the ROWID indexed through, of `max` (the newest when the backfill started). */
  onProgress?: (through: number, max: number) => void;
}

/** Read processes for a backfill of `rows` ROWIDs: none for a small one (a process takes a while to start). */
export function readProcessesFor(rows: number): number {
  return rows < 50_000 ? 0 : Math.max(1, Math.min(2, availableParallelism()));
}

export async function backfillSearch(index: SearchIndex, reader: MessageReader, opts: BackfillOptions): Promise<{ indexed: number; seconds: number }> {
  const started = performance.now();
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
  opts.onProgress?.(cursor, max);
  let indexed = 0;
  const chunks = opts.readers && opts.readers.count > 0 && max > cursor
    ? chunksFromProcesses(opts.readers, cursor, max, opts.batch ?? 5000)
    : inThreadChunks(reader, cursor, opts.batch ?? 2000);
  index.backfillStarted();
  try {
    for await (const chunk of chunks) {
      if (opts.isStopped?.()) break;
      index.writeChunk(opts.identity, chunk);
      indexed += chunk.rows.length + chunk.drops.length;
      bar?.update(Math.min(chunk.through, max) - start);
      opts.onProgress?.(chunk.through, max);
    }
  } finally {
    index.backfillEnded();
    bar?.stop();
    // Stops the read processes when the loop ended early (a stop, an error).
    await chunks.return(undefined);
  }
  return { indexed, seconds: (performance.now() - started) / 1000 };
}

async function* inThreadChunks(reader: MessageReader, from: number, batch: number): AsyncGenerator<IndexChunk> {
  let cursor = from;
  for (;;) {
    const rows = reader.messagesAfter(cursor, batch);
    if (rows.length === 0) return;
    const through = rows[rows.length - 1]!.rowid;
    yield toChunk(rows, cursor, through);
    cursor = through;
    if (rows.length < batch) return;
    // Let the API answer between batches.
    await new Promise((r) => setImmediate(r));
  }
}

// Processes, not threads: the API runs for months, and a lifetime of decoding leaves
// a thread's allocator arenas in this process for good; a process gives them back.
// A reader allocates a page of messages per few ms and keeps none of them: a 32 MB
// young generation (V8's default is 16) scavenges half as often, which measured
// 5–10% less CPU per 1M rows (A/B, 5 interleaved pairs).
const startReadProcess = (setup: ReadProcessSetup): Reader => startModuleProcess(import.meta.url, 'backfillWorker', setup, ['--max-semi-space-size=32']);

/** Chunks each process may have read ahead of the one being written: memory stays bounded. */
const AHEAD_PER_READER = 2;

/**
 * The ROWID range (from, max] and anything newer, cut into chunks that the
 * processes read in parallel, yielded strictly in ROWID order (the mark only
 * moves forward over indexed rows). The last chunk has no upper bound.
 */
async function* chunksFromProcesses(t: ReadProcessSetup & { count: number }, from: number, max: number, size: number): AsyncGenerator<IndexChunk> {
  const total = Math.max(1, Math.ceil((max - from) / size));
  const request = (id: number): ChunkRequest => ({ id, after: from + id * size, before: id === total - 1 ? null : from + (id + 1) * size + 1 });
  yield* inOrderFromThreads<IndexChunk, ChunkReply>({
    total, threads: t.count, ahead: AHEAD_PER_READER,
    start: () => startReadProcess({ path: t.path, home: t.home }),
    request,
    receive: (r: ChunkReply) => ('error' in r ? { error: new Error(`search backfill: ${r.error}`) } : { id: r.id, value: r.chunk }),
    exited: (how) => new Error(`a search backfill read process stopped (${describeExit(how)})`),
  });
}
