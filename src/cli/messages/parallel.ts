// A whole-table `messages` read on several threads. Formatting a message costs
// as much as reading it, and both are CPU-bound in one thread, so the ROWID
// range is cut into chunks that worker threads (worker.ts) read and format in
// parallel, each with its own read-only connection; this thread only writes
// their bytes, strictly in chunk (= ROWID) order. At most a few chunks are in
// flight ahead of the one being written, so memory stays bounded however
// large chat.db is and however slow the reader of stdout.
//
// Rows are read as a single reader's pages would read them: no snapshot
// spans the whole read, and the last chunk has no upper bound, so rows added
// while it runs are printed too.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { describeExit, inOrderFromThreads, startModuleThread, type Reader } from '../../threads.ts';
import { ChatDbError, type ChatDbErrorKind } from '../../imessage/db/index.ts';
import type { LineFormat } from './format.ts';

export interface WorkerSetup { path: string; format: LineFormat }
/** Messages with after < ROWID < before (no upper bound when before is null). */
export type ToWorker = { id: number; after: number; before: number | null } | { recycle: ArrayBuffer };
/** The chunk's lines are the first `length` bytes of `buffer`. */
export type ChunkReply =
  | { id: number; buffer: ArrayBuffer; length: number; count: number }
  | { id: number; error: { message: string; kind?: ChatDbErrorKind; advice?: string } };

export interface ParallelRead {
  path: string;
  format: LineFormat;
  /** Only ROWID > after. */
  after: number;
  /** The highest ROWID when the read starts (sizes the chunks; later rows come with the last one). */
  maxRowid: number;
  threads: number;
  /** ROWIDs per chunk (default: from the range, 256–2048). */
  chunkRows?: number;
}

/** Worker threads by default: one per core, at most 4 (beyond that SQLite's reads and this thread's writes dominate). */
export function defaultThreads(): number {
  return Math.min(4, availableParallelism());
}

/** Chunks per thread in flight beyond the one being written: enough to keep every thread busy. */
const AHEAD_PER_THREAD = 2;

/**
 * A read thread's young generation: 24 MB (8 MB semi-spaces) instead of V8's 48. A chunk's messages die
 * within a 250-row page, so a smaller nursery costs nothing measurable, and each thread peaks ~17 MB lower
 * (1M realistic rows, 2 threads: 178 MB instead of 212 MB, same time).
 */
const YOUNG_GENERATION_MB = 24;

const startWorker = (setup: WorkerSetup): Worker => startModuleThread(import.meta.url, 'worker', setup, {
  stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
});

/**
 * The lines of every message with ROWID > after, as UTF-8 byte chunks in ROWID order.
 * Call `written` once a chunk's bytes are out: its buffer then goes back to the thread that filled it.
 */
export async function* parallelLines(o: ParallelRead): AsyncGenerator<{ bytes: Uint8Array; written: () => void }> {
  const span = Math.max(0, o.maxRowid - o.after);
  const threads = Math.max(1, o.threads);
  const chunkRows = Math.max(1, o.chunkRows ?? Math.min(2048, Math.max(256, Math.ceil(span / (threads * 16)))));
  const chunks = Math.max(1, Math.ceil(span / chunkRows));
  const request = (id: number): ToWorker => ({
    id, after: o.after + id * chunkRows, before: id === chunks - 1 ? null : o.after + (id + 1) * chunkRows + 1,
  });

  /** After the read, late `written` calls have no thread to go back to. */
  let finished = false;
  const read = inOrderFromThreads<{ buffer: ArrayBuffer; length: number; from: Reader }, ChunkReply>({
    total: chunks, threads, ahead: AHEAD_PER_THREAD,
    start: () => startWorker({ path: o.path, format: o.format }),
    request,
    receive: (r: ChunkReply, from) => {
      if (!('error' in r)) return { id: r.id, value: { buffer: r.buffer, length: r.length, from } };
      const e = r.error;
      return { error: e.kind ? new ChatDbError(e.kind, e.message, e.advice ?? '', o.path) : new Error(e.message) };
    },
    exited: (how) => (how !== 0 ? new Error(`a read thread stopped (${describeExit(how)})`) : null),
  });
  try {
    for await (const chunk of read) {
      yield {
        bytes: new Uint8Array(chunk.buffer, 0, chunk.length),
        written: () => { if (!finished) chunk.from.postMessage({ recycle: chunk.buffer } satisfies ToWorker, [chunk.buffer]); },
      };
    }
  } finally {
    // Normal end, an error, or the consumer stopped early (`| head`): no thread outlives the read
    // (returning from the for-await above ends `read`, which terminates them).
    finished = true;
  }
}
